/* The reading view's enhancements. Everything works without them; they only add:
   counterpart highlighting, the reading switch (remembered across pages), hiding picture
   references, absolute permalinks and a copy button in the citations. */
(function () {
  "use strict";
  var root = document.documentElement;

  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  /* ---- counterpart highlighting (mouse and keyboard) ---- */
  var lit = [];
  function clear() {
    lit.forEach(function (el) { el.classList.remove("hl", "hl-self"); });
    lit = [];
  }
  function light(sentence) {
    clear();
    sentence.classList.add("hl-self");
    lit.push(sentence);
    (sentence.getAttribute("data-pair") || "").split(/\s+/).forEach(function (id) {
      var other = id && document.getElementById(id);
      if (other) { other.classList.add("hl"); lit.push(other); }
    });
  }
  function sentenceOf(target) {
    return target && target.closest ? target.closest(".s") : null;
  }
  document.addEventListener("mouseover", function (event) {
    var s = sentenceOf(event.target);
    if (s) light(s);
  });
  document.addEventListener("mouseout", function (event) {
    var s = sentenceOf(event.target);
    if (s && !s.contains(event.relatedTarget) && !s.contains(document.activeElement)) clear();
  });
  document.addEventListener("focusin", function (event) {
    var s = sentenceOf(event.target);
    if (s) light(s); else clear();
  });

  /* ---- reading switch and picture references ---- */
  function showReading(reading) {
    root.setAttribute("data-reading", reading);
    document.querySelectorAll(".reading-btn").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-reading") === reading));
    });
  }
  function showPictureRefs(shown) {
    if (shown) root.removeAttribute("data-picrefs"); else root.setAttribute("data-picrefs", "hidden");
    document.querySelectorAll('[data-toggle="picrefs"]').forEach(function (b) {
      b.setAttribute("aria-pressed", String(shown));
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("reading-btn")) {
      var reading = button.getAttribute("data-reading");
      showReading(reading);
      store("edition.reading", reading);
    } else if (button.getAttribute("data-toggle") === "picrefs") {
      var shown = button.getAttribute("aria-pressed") !== "true";
      showPictureRefs(shown);
      store("edition.picrefs", shown ? "shown" : "hidden");
    } else if (button.classList.contains("copy-btn")) {
      copy(button);
    }
  });

  /* ---- citations: absolute permalinks and a copy button ---- */
  function copy(button) {
    var text = button.previousElementSibling ? button.previousElementSibling.textContent : "";
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var range = document.createRange();
      range.selectNodeContents(button.previousElementSibling);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
    }
  }
  function prepareCitation(details) {
    if (details.dataset.ready) return;
    details.dataset.ready = "1";
    details.querySelectorAll(".cite-text").forEach(function (span) {
      var href = span.getAttribute("data-href");
      if (href && span.textContent.slice(-href.length) === href && !/^[a-z]+:/i.test(href)) {
        var absolute = new URL(href, location.href).href;
        span.textContent = span.textContent.slice(0, -href.length) + absolute;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-btn";
      button.textContent = "Copy";
      span.insertAdjacentElement("afterend", button);
    });
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("cite") && event.target.open) {
      prepareCitation(event.target);
      document.querySelectorAll("details.cite[open]").forEach(function (other) {
        if (other !== event.target) other.open = false;
      });
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.cite[open]");
      if (open) { open.open = false; open.querySelector("summary").focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showReading(root.getAttribute("data-reading") || "corrected");
    showPictureRefs(root.getAttribute("data-picrefs") !== "hidden");
    document.querySelectorAll(".about-cite .cite-text, .citation .cite-text").forEach(function (span) {
      var href = span.getAttribute("data-href");
      if (href && !/^[a-z]+:/i.test(span.textContent.trim())) span.textContent = new URL(href, location.href).href;
    });
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains("s")) light(target);
  });
})();
