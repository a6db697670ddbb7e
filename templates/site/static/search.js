/* Search across both languages with the pagefind index in ../pagefind/ (built by `edition build`).
   Results are built as DOM nodes; only pagefind's <mark> highlighting is kept from its excerpts. */
(function () {
  "use strict";
  var form = document.querySelector(".search-page-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filters = document.querySelector(".search-filters");
  if (!form || !input) return;

  if (location.protocol === "file:") {
    document.querySelector(".file-only").hidden = false;
    return;
  }
  filters.hidden = false;
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var pagefind = null;
  var base = new URL(".", location.href);

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function excerpt(html) {
    /* keep the text and pagefind's <mark> elements, nothing else */
    var out = document.createDocumentFragment();
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === 3) out.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else out.appendChild(document.createTextNode(node.textContent));
    });
    return out;
  }

  function chosenKinds() {
    return Array.prototype.filter.call(filters.querySelectorAll("input"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }

  var current = 0;
  function run() {
    var query = input.value.trim();
    var mine = ++current;
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (pf) {
      return pf.search(query, { filters: { kind: { any: chosenKinds() } } });
    }).then(function (search) {
      if (mine !== current) return null;
      return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    }).then(function (pages) {
      if (!pages || mine !== current) return;
      /* one item per matching section (sentence group, note, entry), best sections first within a page */
      var items = [];
      pages.forEach(function (data) {
        var target = (data.meta && data.meta.target) || data.url;
        var kind = (data.filters && data.filters.kind && data.filters.kind[0]) || "";
        var subs = (data.sub_results || []).filter(function (sub) { return sub.url.indexOf("#") > 0; });
        subs.sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length; });
        subs.slice(0, 5).forEach(function (sub) {
          var text = sub.excerpt || data.excerpt || "";
          if (text.indexOf(sub.title) === 0) text = text.slice(sub.title.length).replace(/^[.\s]+/, "");
          var title = (data.meta && data.meta.title) || "";
          items.push({ href: target + sub.url.slice(sub.url.indexOf("#")),
                       title: kind === "Text" ? title + " · " + sub.title : sub.title,
                       kind: kind, excerpt: text });
        });
      });
      var count = items.length;
      status.textContent = count === 0 ? "Nothing found for “" + input.value.trim() + "”." :
        count + (count === 1 ? " passage" : " passages") + " found for “" + input.value.trim() + "”.";
      items.slice(0, 100).forEach(function (item) {
        var li = document.createElement("li");
        var title = document.createElement("a");
        title.className = "r-title";
        title.href = item.href;
        title.textContent = item.title;
        var kind = document.createElement("span");
        kind.className = "r-kind";
        kind.textContent = item.kind;
        var text = document.createElement("p");
        text.className = "r-text";
        text.appendChild(excerpt(item.excerpt));
        li.appendChild(title);
        li.appendChild(kind);
        li.appendChild(text);
        list.appendChild(li);
      });
    }).catch(function (error) {
      status.textContent = "The search index could not be loaded (" + error.message + ").";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    run();
  });
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  filters.addEventListener("change", run);
  if (input.value) run();
})();
