"""The web edition in a real browser: Debian's chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from site_support import StaticServer, built

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

IN_CI = os.environ.get("CI") == "true"  # in CI these tests must run: a missing browser fails them
if not IN_CI and not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (tools/test.sh installs it)", allow_module_level=True)
if IN_CI:
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def real():
    edition, folder = built("edition")
    with StaticServer(folder) as server:
        yield edition, folder, server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors


def sid(value: str) -> str:
    return f'[id="{value}"]'


def first_choice_sentence(edition):
    from edition.model import Choice, iter_nodes

    for sentence in edition.source.sentences():
        if sentence.section == "nb.ch01":
            for node in iter_nodes(sentence.content):
                if isinstance(node, Choice) and node.kind == "sic":
                    return sentence
    raise AssertionError("no correction in chapter 1")


def test_hover_and_focus_highlight_the_counterpart(page, real):
    edition, _, url = real
    link = next(l for l in edition.links if l.sources and l.targets and l.sources[0].startswith("nb.ch01.p"))
    page.goto(url + "ch01.html")
    source, target = page.locator(sid(link.sources[0])), page.locator(sid(link.targets[0]))
    plain = target.evaluate("el => getComputedStyle(el).backgroundColor")
    source.hover()
    assert "hl" in target.get_attribute("class").split()
    # the background fades in (a 0.12 s transition): wait until the computed colour has changed
    page.wait_for_function("([el, plain]) => getComputedStyle(el).backgroundColor !== plain",
                           arg=[target.element_handle(), plain], timeout=2000)
    page.mouse.move(5, 5)
    # keyboard: from the source sentence, Tab reaches the translation sentence, which lights up the source
    source.focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == link.targets[0]:
            break
    else:
        raise AssertionError("Tab never reached the translation sentence")
    assert "hl" in source.get_attribute("class").split()
    assert "hl" not in target.get_attribute("class").split()


def test_reading_toggle_shows_either_reading_and_persists(page, real):
    edition, _, url = real
    sentence = first_choice_sentence(edition)
    page.goto(url + "ch01.html")
    el = page.locator(sid(sentence.id))
    assert " ".join(el.inner_text().split()).startswith(sentence.text("corrected")[:30])
    page.get_by_role("button", name="As published").click()
    assert page.evaluate("document.documentElement.dataset.reading") == "diplomatic"
    shown = " ".join(el.inner_text().split())
    assert sentence.text("diplomatic") in shown and sentence.text("corrected") not in shown
    # the choice persists on the next page
    page.goto(url + "ch02.html")
    assert page.evaluate("document.documentElement.dataset.reading") == "diplomatic"
    assert page.get_by_role("button", name="As published").get_attribute("aria-pressed") == "true"
    # hovering a correction shows the other reading
    choice = page.locator(".ch").first
    choice.hover()
    other = choice.locator(".r-corr")
    assert other.is_visible()
    page.get_by_role("button", name="Corrected").click()
    page.goto(url + "ch01.html")
    assert page.evaluate("document.documentElement.dataset.reading") == "corrected"


def test_navigation_between_chapters_registers_and_notes(page, real):
    edition, _, url = real
    page.goto(url + "index.html")
    page.locator(".toc a").first.click()
    assert page.url.endswith("ch01.html")
    page.locator(".chapter-nav.top a.next").click()
    assert page.url.endswith("ch02.html")
    page.locator(".chapter-nav.top a.prev").click()
    assert page.url.endswith("ch01.html")
    name = page.locator("a.nm").first
    href = name.get_attribute("href")
    name.click()
    assert page.url.endswith(href)
    entry = page.locator(sid(href.split("#")[1]))
    assert entry.is_visible()
    entry.locator(".occ-list a").first.click()
    assert page.url.split("/")[-1].startswith("ch")
    page.goto(url + "factchecks.html")
    page.locator(".fc-item h3 a").first.click()
    assert page.locator(":target").count() == 1


def test_search_finds_a_known_sentence(page, real):
    edition, _, url = real
    sentence = next(s for s in edition.translation.sentences() if len(s.text().split()) > 8)
    words = " ".join(sentence.text().split()[2:7])
    page.goto(url + "search.html?q=" + words.replace(" ", "+"))
    first = page.locator("#search-results li a.r-title").first
    first.wait_for(timeout=15000)
    hrefs = page.locator("#search-results li a.r-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    wanted = [h for h in hrefs if h.endswith("#" + sentence.id) or h.split("#")[1] in
              {l.sources[0] for l in edition.links if sentence.id in l.targets}]
    assert wanted, hrefs
    page.locator(f'#search-results a.r-title[href="{wanted[0]}"]').click()
    assert page.locator(":target").count() == 1


def test_works_with_javascript_off_from_file(browser, real):
    edition, folder, _ = real
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.goto((folder / "ch01.html").as_uri())
    assert pg.locator(".toolbar").is_hidden()
    first = edition.source.sections[0].blocks[0].sentences[0]
    assert pg.locator(sid(first.id)).is_visible()
    assert pg.locator(sid(first.id)).inner_text().split()[0] == first.text().split()[0]
    pg.locator("details.cite summary").nth(1).click()
    assert pg.locator("details.cite .cite-text").nth(2).is_visible()
    pg.locator(".ch").first.hover()
    assert pg.locator(".ch").first.locator(".r-dipl").is_visible()  # the other reading, by CSS alone
    pg.goto((folder / "persons.html").as_uri())
    assert pg.locator("article.entry").count() == sum(e.kind == "person" for e in edition.entities.values())
    context.close()


def test_narrow_screen_stacks_pair_by_pair(browser, real):
    edition, _, url = real
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(url + "ch01.html")
    rows = pg.locator(".blk .row")
    first, second = rows.nth(0), rows.nth(1)
    src1 = first.locator(".col.source").bounding_box()
    tr1 = first.locator(".col.translation").bounding_box()
    src2 = second.locator(".col.source").bounding_box()
    assert tr1["y"] >= src1["y"] + src1["height"] - 1
    assert src2["y"] >= tr1["y"] + tr1["height"] - 1
    assert abs(tr1["x"] - src1["x"]) < 40
    context.close()


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


PAGE_TYPES = ["index.html", "ch01.html", "ch12.html", "persons.html", "places.html", "organisations.html",
              "factchecks.html", "corrections.html", "chronology.html", "about.html", "search.html?q=Lenin",
              "404.html"]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violations(page, real, name):
    _, folder, url = real
    if not (folder / name.split("?")[0]).exists():
        pytest.skip(f"{name} is not part of this edition")
    page.goto(url + name)
    if name.startswith("search"):
        page.locator("#search-results li").first.wait_for(timeout=15000)
    page.add_script_tag(content=axe_source())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    assert result == [], json.dumps(result, indent=1)


def test_axe_in_diplomatic_reading_and_narrow_screen(browser, real):
    _, _, url = real
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(url + "ch02.html")
    pg.get_by_role("button", name="As published").click()
    pg.add_script_tag(content=axe_source())
    result = pg.evaluate("async () => (await axe.run(document)).violations.map(v => v.id + ': ' + v.help)")
    context.close()
    assert result == []
