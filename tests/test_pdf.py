"""The parallel PDF edition: built once per session through the real `edition build --pdf-only`, then
read back with pypdf and poppler and checked against the model — every sentence, every note."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest

from conftest import FIXTURES, REPO, edit, run_edition
from edition.config import load_config
from edition.loader import load_edition
from edition.model import Edition
from edition.pdf import pdf_bytes
from edition.pdf_data import pdf_data

MARKER_MAX_SIZE = 6.5  # note numbers are 0.6 em superscripts; the smallest real text is 7 pt
POPPLER = shutil.which("pdftoppm") is not None


# ---- reading a PDF back -------------------------------------------------------------------------


class Extracted:
    """A PDF's text per page (note numbers left out), with its pypdf reader."""

    def __init__(self, path: Path):
        self.path = path
        self.reader = pypdf.PdfReader(path)
        self.pages: list[str] = []
        for page in self.reader.pages:
            runs: list[str] = []

            def visit(text, cm, tm, font, size, runs=runs):
                if text and abs(size * tm[3]) > MARKER_MAX_SIZE:
                    runs.append(text)

            page.extract_text(visitor_text=visit)
            self.pages.append("".join(runs))
        self.squashed_pages = [squash(p) for p in self.pages]
        self.squashed = "".join(self.squashed_pages)

    def page_of(self, text: str) -> list[int]:
        """0-based indexes of the pages where `text` (squashed) occurs."""
        needle = squash(text)
        return [i for i, page in enumerate(self.squashed_pages) if needle in page]


def squash(text: str) -> str:
    """Text without what typesetting adds or moves: white space, hyphens (hyphenation), editorial brackets."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00ad\-\u2010\u2011⟨⟩]", "", text)


def in_pieces(needle: str, haystack: str, pieces: int = 3, shortest: int = 12) -> bool:
    """`needle` is in `haystack` in order, in at most `pieces` parts (a footnote may break across pages,
    with the running head and the other column's part of the note in between)."""
    position = 0
    for _ in range(pieces):
        if not needle:
            return True
        lo, hi = 0, len(needle)
        while lo < hi:  # the longest prefix found after `position`
            mid = (lo + hi + 1) // 2
            if haystack.find(needle[:mid], position) >= 0:
                lo = mid
            else:
                hi = mid - 1
        if lo < min(shortest, len(needle)):
            return False
        position = haystack.find(needle[:lo], position) + lo
        needle = needle[lo:]
    return not needle


def sentences(edition: Edition):
    yield from edition.source.sentences()
    yield from edition.translation.sentences()


def build_pdf(root: Path, output: Path, *options: str) -> Path:
    proc = run_edition("build", "--pdf-only", "--root", str(root), "--output", str(output), *options)
    assert proc.returncode == 0, proc.stderr
    pdf = output / "edition.pdf"
    assert pdf.is_file()
    return pdf


@pytest.fixture(scope="session")
def real_edition() -> Edition:
    return load_edition(load_config(REPO))


@pytest.fixture(scope="session")
def real_pdf(tmp_path_factory) -> Extracted:
    return Extracted(build_pdf(REPO, tmp_path_factory.mktemp("real") / "out"))


@pytest.fixture(scope="session")
def mini_letter_pdf(tmp_path_factory) -> Extracted:
    return Extracted(build_pdf(FIXTURES / "mini", tmp_path_factory.mktemp("mini") / "out", "--paper", "us-letter"))


# ---- nothing is lost ------------------------------------------------------------------------------


def test_every_sentence_of_both_languages_is_in_the_pdf(real_edition, real_pdf):
    expected = list(sentences(real_edition))
    assert len(expected) == len(real_edition.source.sentences()) + len(real_edition.translation.sentences())
    missing = [s.id for s in expected if squash(s.text("corrected")) not in real_pdf.squashed]
    assert not missing, f"{len(missing)} of {len(expected)} sentences missing, e.g. {missing[:5]}"


def test_every_note_is_there_in_both_languages_with_its_verdict(real_edition, real_pdf):
    notes = real_edition.source.notes
    assert notes
    categories = real_edition.source.categories
    missing = []
    for note in notes:
        for lang in ("nb", "en"):
            text = note.texts.get(lang, "")
            label = categories[note.verdict].labels[lang]
            # the verdict is set in small caps: its letters are there, case aside
            if not in_pieces(squash(text), real_pdf.squashed) or squash(label).lower() not in real_pdf.squashed.lower():
                missing.append((note.id, lang))
    assert not missing, f"{len(missing)} note texts missing, e.g. {missing[:5]}"


def test_the_source_sentence_and_its_translation_share_a_page(real_edition, real_pdf):
    index = real_edition.sentence_index()
    apart = []
    for link in real_edition.links:
        if not link.targets:
            continue
        first, last = index[link.sources[0]], index[link.targets[-1]]
        if not set(real_pdf.page_of(first.text())) & set(real_pdf.page_of(last.text())):
            apart.append(link.sources[0])
    assert not apart, f"aligned groups split across pages: {apart[:5]}"


def test_the_data_places_every_sentence_exactly_once(real_edition):
    data = pdf_data(real_edition)
    placed_src = [i for g in data["front"] for i in g["src_ids"]]
    placed_tr = [i for g in data["front"] for i in g["tr_ids"]]
    for chapter in data["chapters"]:
        for block in chapter["blocks"]:
            for group in block["groups"]:
                placed_src += group["src_ids"]
                placed_tr += group["tr_ids"]
    assert sorted(placed_src) == sorted(s.id for s in real_edition.source.sentences())
    assert sorted(placed_tr) == sorted(s.id for s in real_edition.translation.sentences())
    assert len(data["notes"]) + len(data["unplaced_notes"]) == len(real_edition.source.notes)


def test_a_translation_sentence_no_link_reaches_is_still_printed(mini):
    # drop the link of the mini edition's last pair: the English sentence must still be placed
    edit(mini / "translations" / "alignment.xml", '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>', "")
    edition = load_edition(load_config(mini))
    data = pdf_data(edition)
    groups = [g for ch in data["chapters"] for b in ch["blocks"] for g in b["groups"]]
    placed = [i for g in data["front"] + groups for i in g["tr_ids"]]
    assert sorted(placed) == sorted(s.id for s in edition.translation.sentences())
    untranslated = [g for g in groups if g["src_ids"] == ["nb.ch02.p1.s2"]]
    assert untranslated[0]["tr_ids"] == [] and untranslated[0]["untranslated"]


def test_a_sentence_left_untranslated_on_purpose_is_marked_in_the_english_column(mini, tmp_path):
    edit(mini / "translations" / "alignment.xml", '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
         '<ptr type="untranslated" target="nb:ch02.p1.s2"/>')
    edit(mini / "translations" / "source.en.xml", ' <s xml:id="en.ch02.p1.s2">This treaty was unanimously approved '
         'and signed on <date when="1922-12-30">30 December 1922</date>.</s>', "")
    pdf = Extracted(build_pdf(mini, tmp_path / "out"))
    source = load_edition(load_config(mini)).sentence_index()["nb.ch02.p1.s2"]
    page = pdf.pages[pdf.page_of(source.text())[0]]
    assert "[not translated]" in page
    assert squash(source.text()) + squash("[not translated]") in squash(page), "level with its source sentence"


def test_mini_edition_on_us_letter_has_every_sentence_and_note(mini_letter_pdf):
    edition = load_edition(load_config(FIXTURES / "mini"))
    box = mini_letter_pdf.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    for sentence in sentences(edition):
        assert squash(sentence.text("corrected")) in mini_letter_pdf.squashed, sentence.id
    for note in edition.source.notes:
        for text in note.texts.values():
            assert in_pieces(squash(text), mini_letter_pdf.squashed)


def test_cyrillic_and_norwegian_letters_come_through(real_pdf):
    assert "Февральская революция" in real_pdf.pages[real_pdf.page_of("Февральская революция")[0]]
    assert squash("Владимир Ильич Ленин") in real_pdf.squashed, "the index gives original-script names"
    assert re.search("[æøå]", real_pdf.squashed) and re.search("[ÆØÅ]", real_pdf.squashed)


# ---- apparatus -----------------------------------------------------------------------------------


def test_contents_and_back_matter_are_there_with_page_numbers(real_edition, real_pdf):
    text = "\n".join(real_pdf.pages)
    for title in ("Innhold", "Contents", "Personregister", "Index of persons", "Kronologi", "Chronology",
                  "Rettelser", "List of corrections"):
        assert title in text, title
    contents = real_pdf.pages[real_pdf.page_of("Innhold/Contents")[0]]
    for section in real_edition.translation.sections:
        assert squash(section.head.sentences[0].text()) in squash(contents)
    # the contents' page number of each chapter is the page where its heading is printed
    for source, translation in zip(real_edition.source.sections, real_edition.translation.sections):
        head = translation.head.sentences[0].text()
        spread = r"[\s\u00ad-]*".join(re.escape(c) for c in squash(head))
        printed = re.search(spread + r"\s*(\d+)\s", contents)
        assert printed, head
        assert int(printed.group(1)) - 1 in real_pdf.page_of(source.head.sentences[0].text()), head


def test_person_index_lists_every_person_with_the_pages_of_its_mentions(real_edition, real_pdf):
    start = real_pdf.page_of("Personregister/Index of persons")[-1]
    index = "".join(real_pdf.squashed_pages[start:start + 3])
    persons = [e for e in real_edition.entities.values() if e.kind == "person"]
    for person in persons:
        surname = person.name("nb").split()[-1]
        assert squash(surname) in index, person.id
    lenin = re.search(r"Lenin,VladimirIljitsj\(1870–1924\).*?((?:\d+,)+\d+)", index)
    assert lenin, "Lenin's entry with life dates and pages"
    pages = [int(p) for p in lenin.group(1).split(",")]
    assert pages == sorted(set(pages)) and len(pages) > 5
    assert squash("Lenin") in real_pdf.squashed_pages[pages[0] - 1]


def test_list_of_corrections_gives_original_and_corrected_reading(real_edition, real_pdf):
    start = real_pdf.page_of("Rettelser/List of corrections")[-1]
    listing = "".join(real_pdf.squashed_pages[start:])
    assert "preioden→perioden" in listing
    assert squash("⟨til⟩") in listing or "til" in listing
    data = pdf_data(real_edition)
    from edition.model import Choice, Supplied, iter_nodes
    count = sum(isinstance(n, (Choice, Supplied)) for s in real_edition.source.sentences() for n in iter_nodes(s.content))
    assert len(data["corrections"]) == count
    explanation = 2  # the lines that explain the list (nb, en) use the arrow once each
    assert listing.count("→") - explanation == sum(1 for c in data["corrections"] if c["kind"] != "supplied")


def test_chronology_is_in_date_order(real_pdf):
    start = real_pdf.page_of("Kronologi/Chronology")[-1]
    text = real_pdf.pages[start]
    years = [int(y) for y in re.findall(r"^(?:\d{1,2} )?(?:[A-Z][a-z]+ )?(1[89]\d\d)\b", text, re.M)]
    assert len(years) > 10 and years == sorted(years)


# ---- PDF/UA, PDF/A, fonts ------------------------------------------------------------------------


def test_tagged_accessible_pdf_with_language_and_title(real_pdf):
    catalog = real_pdf.reader.trailer["/Root"]
    assert catalog["/Lang"] == "nb"
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert real_pdf.reader.metadata.title.startswith("Sovjetunionens historie 1917–1936")
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[>=\"]+2", xmp) and re.search(r"pdfaid:conformance[>=\"]+A", xmp)
    assert re.search(r"pdfuaid:part[>=\"]+1", xmp)


def test_structure_tree_marks_english_passages(real_pdf):
    raw = real_pdf.path.read_bytes()
    assert b"/Lang (en)" in raw or b"/Lang(en)" in raw


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_every_font_is_embedded(real_pdf):
    out = subprocess.run(["pdffonts", str(real_pdf.path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a Unicode map


def test_hyphenation_in_both_columns(real_edition, real_pdf):
    nb_words = {w for s in real_edition.source.sentences() for w in re.findall(r"\w+", s.text())}
    en_words = {w for s in real_edition.translation.sentences() for w in re.findall(r"\w+", s.text())}
    broken = {a + b for a, b in re.findall(r"(\w+)[-\u00ad]\n(\w+)", "\n".join(real_pdf.pages))}
    assert broken & (nb_words - en_words), "Norwegian words are hyphenated"
    assert broken & (en_words - nb_words), "English words are hyphenated"


def test_same_edition_same_bytes(mini):
    edition = load_edition(load_config(mini))
    assert pdf_bytes(edition) == pdf_bytes(edition)


# ---- errors --------------------------------------------------------------------------------------


def test_a_broken_edition_template_is_one_line_exit_2(mini, tmp_path):
    (mini / "templates" / "pdf").mkdir(parents=True)
    (mini / "templates" / "pdf" / "edition.typ").write_text("#let x = \n", encoding="utf-8")
    config = mini / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[build]\ntemplates = "templates"\n', encoding="utf-8")
    proc = run_edition("build", "--pdf-only", "--root", str(mini), "--output", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "edition.typ:1:" in proc.stderr and "could not be typeset" in proc.stderr
    assert not (tmp_path / "out").exists(), "a failed build leaves nothing behind"


# ---- look at it -----------------------------------------------------------------------------------


def _grey(pdf: Path, page: int, out: Path) -> tuple[int, int, bytes]:
    """Render one page (1-based) to an 8-bit grey PGM with poppler; returns width, height, pixels."""
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", "-gray", "-singlefile",
                    str(pdf), str(out)], check=True)
    data = out.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header
    return int(header.group(1)), int(header.group(2)), data[header.end():]


def _ink(pixels: bytes, width: int, x0: int, x1: int) -> float:
    dark = total = 0
    for row in range(len(pixels) // width):
        line = pixels[row * width + x0: row * width + x1]
        dark += sum(1 for v in line if v < 128)
        total += len(line)
    return dark / total


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
def test_smoke_title_page_and_a_text_page_render(real_pdf, tmp_path):
    for page, name in ((1, "title"), (real_pdf.page_of("FEBRUARREVOLUSJONEN")[1] + 1, "text")):
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "60", "-png", "-singlefile",
                        str(real_pdf.path), str(tmp_path / name)], check=True)
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        width, height, pixels = _grey(real_pdf.path, page, tmp_path / f"{name}-grey")
        left, right = _ink(pixels, width, 0, width // 2), _ink(pixels, width, width // 2, width)
        if name == "title":
            assert 0.001 < left + right < 0.1 and abs(left - right) < 0.02, "a centred title page"
        else:
            assert left > 0.01 and right > 0.01, "text in both columns"


# ---- facing pages --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def facing_pdf(tmp_path_factory) -> Extracted:
    return Extracted(build_pdf(REPO, tmp_path_factory.mktemp("facing") / "out", "--facing"))


def test_facing_pages_source_on_the_verso_translation_on_the_recto(real_edition, facing_pdf):
    index = real_edition.sentence_index()
    wrong = []
    for link in real_edition.links:
        if not link.targets:
            continue
        source_pages = facing_pdf.page_of(index[link.sources[0]].text())
        target_pages = facing_pdf.page_of(index[link.targets[0]].text())
        # 0-based index i is page i + 1: a verso (even page number) has an odd index
        versos = [p for p in source_pages if p % 2 == 1]
        if not versos or not any(p + 1 in target_pages for p in versos):
            wrong.append(link.sources[0])
    assert not wrong, f"{len(wrong)} groups not on one spread, e.g. {wrong[:5]}"


def test_facing_pages_keep_every_sentence_and_note(real_edition, facing_pdf):
    for sentence in sentences(real_edition):
        assert squash(sentence.text("corrected")) in facing_pdf.squashed, sentence.id
    for note in real_edition.source.notes:
        for text in note.texts.values():
            assert in_pieces(squash(text), facing_pdf.squashed), note.id


def test_facing_groups_start_level_on_both_pages(real_edition, facing_pdf, tmp_path):
    # the first words of a group stand at the same height on the verso and the recto
    link = real_edition.links[40]
    index = real_edition.sentence_index()
    verso = next(p for p in facing_pdf.page_of(index[link.sources[0]].text()) if p % 2 == 1)
    heights = []
    for page, sentence in ((verso, index[link.sources[0]]), (verso + 1, index[link.targets[0]])):
        words = sentence.text().split()[:2]
        out = subprocess.run(["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-bbox", str(facing_pdf.path), "-"],
                             capture_output=True, text=True, check=True).stdout
        boxes = re.findall(r'yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
        starts = [float(y) for (y, w), (_, w2) in zip(boxes, boxes[1:]) if (w, w2) == tuple(words)]
        assert starts, (page, words)
        heights.append(starts[0])
    assert abs(heights[0] - heights[1]) < 1.0, heights


def test_facing_spreads_stay_inside_the_type_area(facing_pdf):
    # the spreads are paginated by the template itself: nothing may run into the bottom margin
    out = subprocess.run(["pdftotext", "-bbox", str(facing_pdf.path), "-"], capture_output=True, text=True,
                         check=True).stdout
    bottom_margin = 22 / 25.4 * 72
    descender = 4.0
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        lowest = max((float(y) for y in re.findall(r'yMax="([\d.]+)"', page)), default=0.0)
        assert lowest <= height - bottom_margin + descender, f"page {number} runs into the bottom margin"
