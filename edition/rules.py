"""Editorial-policy rules. Each rule has an id, a default severity and an explanation, and reads the model only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date as Day
from typing import Callable, Iterable, Iterator

from .dates import check_written_date, julian_to_gregorian, parse_iso
from .diagnostics import Diagnostic, Severity
from .model import Choice, Date, Document, Edition, Location, Name, Sentence, iter_nodes, text_of

Check = Callable[[Edition], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    explanation: str
    check: Check | None = None


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, summary: str, explanation: str):
    """Register a check function as a rule."""

    def register(fn: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, summary, explanation, fn)
        return fn

    return register


# Rules checked outside this module, listed so that --explain knows them.
RULES["xml"] = Rule("xml", "error", "Every file is well-formed UTF-8 XML with a TEI root.",
                    "A file that cannot be parsed (malformed markup, wrong encoding, empty, a DOCTYPE or entity "
                    "declaration, a root that is not <TEI>) stops validation with exit code 2. The parser never "
                    "loads DTDs, external entities or network resources and never expands entities.")
RULES["schema"] = Rule("schema", "error", "Every file is valid against the edition's RelaxNG schema.",
                       "The schema (edition/schema/edition.rng) is a strict subset of TEI P5 that encodes the "
                       "contract in docs/encoding.md: chapters as div type=\"chapter\" with a head, every sentence "
                       "an s, readings as choice/sic/corr and choice/orig/reg, fact-check notes in back, registers "
                       "and alignment in standOff. Each message names the element and what was expected there.")


def diag(rule_id: str, loc: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(loc.path, loc.line, loc.column, RULES[rule_id].severity if rule_id in RULES else "error",
                      rule_id, message, hint)


def _text_documents(edition: Edition) -> list[Document]:
    return [d for d in (edition.source, edition.translation) if d is not None]


@rule("id-unique", "error", "Every xml:id is unique across all files of the edition.",
      "Sentence, chapter, register and note identifiers are the permalinks of the edition and the targets "
      "of cross-file pointers, so one identifier may name only one element in the whole edition. Rename the "
      "later one; never renumber published sentence ids casually.")
def check_ids(edition: Edition) -> Iterator[Diagnostic]:
    seen: dict[str, Location] = {}
    for doc in edition.documents():
        for xid, loc in doc.duplicate_ids:
            yield diag("id-unique", loc, f"xml:id {xid!r} is used twice in this file",
                       f"the first is at line {doc.ids[xid].line}; give this element another id")
        for xid, loc in doc.ids.items():
            if xid in seen:
                yield diag("id-unique", loc, f"xml:id {xid!r} is already used in {seen[xid]}",
                           "identifiers must be unique across the whole edition")
            else:
                seen[xid] = loc


@rule("pointer-resolves", "error", "Every pointer (@ref, @target, @corresp, @ana, …) resolves, across files too.",
      "Pointers are #id (same file), file.xml#id (another file) or prefix:value with a prefixDef in the "
      "header (pers:lenin). Each must name an existing element in a file of the edition. Web addresses "
      "(https://…) are not followed.")
def check_pointers(edition: Edition) -> Iterator[Diagnostic]:
    docs = {str(d.path.resolve()): d for d in edition.documents()}
    for doc in edition.documents():
        for p in doc.pointers:
            if p.file is None:
                yield diag("pointer-resolves", p.loc, f"<{p.element} {p.attribute}=\"{p.raw}\"> cannot be resolved",
                           "declare the prefix in listPrefixDef or write #id / file.xml#id")
                continue
            target = docs.get(p.file)
            if target is None:
                yield diag("pointer-resolves", p.loc,
                           f"<{p.element} {p.attribute}=\"{p.raw}\"> points into {p.file}, which is not a file of the edition",
                           "add the file to edition.toml or correct the pointer")
            elif p.id and p.id not in target.ids:
                yield diag("pointer-resolves", p.loc,
                           f"<{p.element} {p.attribute}=\"{p.raw}\">: no element with xml:id {p.id!r} in {target.display_path}",
                           "check the spelling of the id, or add the missing element")


@rule("choice-complete", "error", "Every choice is complete: sic with corr, or orig with reg, neither empty.",
      "choice/sic/corr records a typo and its correction; choice/orig/reg a legitimate variant and its "
      "normalisation. A choice with one side missing, both kinds mixed, or an empty side cannot give both "
      "the diplomatic and the corrected reading.")
def check_choices(edition: Edition) -> Iterator[Diagnostic]:
    for doc in _text_documents(edition):
        for s in doc.sentences():
            for node in iter_nodes(s.content):
                if isinstance(node, Choice):
                    first, second = ("sic", "corr") if node.kind == "sic" else ("orig", "reg")
                    if not node.complete:
                        yield diag("choice-complete", node.loc, f"<choice> must hold exactly one <{first}> and one <{second}>",
                                   "write <choice><sic>typo</sic><corr>fix</corr></choice>")
                    elif not node.original or not node.corrected:
                        yield diag("choice-complete", node.loc, f"<choice> has an empty <{first if not node.original else second}>",
                                   "both readings must hold text")


@rule("name-registered", "error", "Every name in the text points into the register of its kind.",
      "persName, placeName and orgName carry @ref pointing at a person, place or org entry of the "
      "registers (pers:KEY, place:KEY, org:KEY). A name without @ref, or pointing at the wrong kind of entry, "
      "is not normalised.")
def check_names(edition: Edition) -> Iterator[Diagnostic]:
    for doc in _text_documents(edition):
        for s in doc.sentences():
            for node in iter_nodes(s.content):
                if not isinstance(node, Name):
                    continue
                tag = {"person": "persName", "place": "placeName", "org": "orgName"}[node.kind]
                if not node.ref:
                    yield diag("name-registered", node.loc, f"<{tag}> has no @ref",
                               f"point it at its register entry, e.g. ref=\"{ {'person': 'pers', 'place': 'place', 'org': 'org'}[node.kind]}:KEY\"")
                    continue
                entity = edition.entities.get(node.key or "")
                if entity is None:
                    continue  # pointer-resolves reports it
                if entity.kind != node.kind:
                    yield diag("name-registered", node.loc, f"<{tag} ref=\"{node.ref}\"> points at a {entity.kind} entry",
                               f"use the {tag} element that fits the entry, or fix the ref")


@rule("register-used", "error", "Every register entry is used in the text.",
      "A register lists the persons, places and organisations the edition mentions; an entry no name "
      "points to is either a leftover or a sign that a mention was not tagged.")
def check_register_used(edition: Edition) -> Iterator[Diagnostic]:
    used = set()
    for doc in _text_documents(edition):
        for s in doc.sentences():
            used.update(n.key for n in iter_nodes(s.content) if isinstance(n, Name))
    for entity in edition.entities.values():
        if entity.id not in used:
            yield diag("register-used", entity.loc, f"register entry {entity.id!r} is never mentioned",
                       "tag its mentions with @ref, or remove the entry")


def _verdicts(doc: Document) -> dict[str, str]:
    return {cid: cid for cid in doc.categories if cid.startswith("verdict.")}


@rule("factcheck-complete", "error",
      "Every fact-check note has a target, a verdict from the taxonomy, text in both languages and a source.",
      "A note type=\"fact-check\" points at its claim with @target (a sentence or a seg), carries its verdict "
      "as @ana pointing at a category of the taxonomy xml:id=\"verdicts\" in the header, explains itself in a "
      "<p xml:lang> for the source and for the translation language, and cites at least one <bibl>.")
def check_factchecks(edition: Edition) -> Iterator[Diagnostic]:
    doc = edition.source
    verdicts = _verdicts(doc)
    langs = [edition.source_lang] + ([edition.translation_lang] if edition.translation else [])
    for note in doc.notes:
        if note.type != "fact-check":
            continue
        label = f"fact-check {note.id or ''}".strip()
        if not note.targets:
            yield diag("factcheck-complete", note.loc, f"{label} has no @target", "point it at the claim: target=\"#id\"")
        if not note.verdict:
            yield diag("factcheck-complete", note.loc, f"{label} has no verdict",
                       f"add ana=\"#verdict.…\" with one of {', '.join(sorted(verdicts)) or 'the taxonomy categories'}")
        elif note.verdict not in verdicts:
            yield diag("factcheck-complete", note.loc, f"{label}: {note.verdict!r} is not a verdict of the taxonomy",
                       f"use one of {', '.join(sorted(verdicts))}")
        for lang in langs:
            if not note.texts.get(lang):
                yield diag("factcheck-complete", note.loc, f"{label} has no explanation in {lang!r}",
                           f"add <p xml:lang=\"{lang}\">…</p>")
        if not any(b.text for b in note.sources):
            yield diag("factcheck-complete", note.loc, f"{label} cites no source", "add <listBibl><bibl>…</bibl></listBibl>")


def _dates(edition: Edition) -> Iterator[tuple[Date, Sentence]]:
    for doc in _text_documents(edition):
        for s in doc.sentences():
            for node in iter_nodes(s.content):
                if isinstance(node, Date):
                    yield node, s


@rule("date-valid", "error", "Every date value is a valid ISO date; Julian readings convert to the Gregorian @when.",
      "@when, @from and @to hold ISO 8601 values (YYYY, YYYY-MM or YYYY-MM-DD) of real calendar days, "
      "@from is not after @to, and a date needs @when or @from/@to. Where @when-custom records a Julian "
      "(old-style) reading with datingMethod=\"#julian\", converting it must give @when.")
def check_date_values(edition: Edition) -> Iterator[Diagnostic]:
    for d, _ in _dates(edition):
        values = {"when": d.when, "from": d.from_, "to": d.to}
        bad = False
        for attr, value in values.items():
            if value is not None and parse_iso(value) is None:
                bad = True
                yield diag("date-valid", d.loc, f"<date {attr}=\"{value}\"> is not a valid ISO date",
                           "write YYYY, YYYY-MM or YYYY-MM-DD (Gregorian)")
        if bad:
            continue
        if not d.when and not (d.from_ and d.to):
            yield diag("date-valid", d.loc, "<date> has no normalised value", "add @when, or @from and @to")
        if d.from_ and d.to and d.from_ > d.to:
            yield diag("date-valid", d.loc, f"<date from=\"{d.from_}\" to=\"{d.to}\"> ends before it begins")
        if d.when_custom is not None:
            if d.calendar != "julian":
                yield diag("date-valid", d.loc, "@when-custom needs datingMethod=\"#julian\"",
                           "record which calendar the written date uses")
                continue
            julian = parse_iso(d.when_custom)
            if julian is None:
                yield diag("date-valid", d.loc, f"<date when-custom=\"{d.when_custom}\"> is not a valid date")
            elif isinstance(julian, Day) and d.when and isinstance(parse_iso(d.when), Day):
                gregorian = julian_to_gregorian(julian)
                if gregorian.isoformat() != d.when:
                    yield diag("date-valid", d.loc,
                               f"Julian {d.when_custom} is Gregorian {gregorian.isoformat()}, but @when is {d.when}",
                               f"set when=\"{gregorian.isoformat()}\" (or correct when-custom)")


@rule("date-agrees", "error", "A date's normalised value agrees with the date written in the text.",
      "Where the text writes a day, month or year (23.02.1917, 5. mars 1923, april 1917, 1917, 23 February "
      "1917), the same value must appear in @when, @from, @to or (for Julian dates) @when-custom. "
      "Read in the corrected reading.")
def check_date_text(edition: Edition) -> Iterator[Diagnostic]:
    for d, s in _dates(edition):
        written = " ".join(text_of(d.content, "corrected").split())
        problem = check_written_date(written, [v for v in (d.when, d.when_custom, d.from_, d.to) if v])
        if problem:
            yield diag("date-agrees", d.loc, f"<date> {written!r}: {problem}",
                       "correct the attribute (or mark the typo in the text with choice/sic/corr)")


@rule("not-empty", "error", "No required element is empty.",
      "Sentences, readings, names, dates, register names, verdict labels, sources and identifiers carry "
      "text; an empty one is a slip of the encoder.")
def check_empty(edition: Edition) -> Iterator[Diagnostic]:
    for doc in edition.documents():
        for name, loc in doc.empties:
            yield diag("not-empty", loc, f"<{name}> is empty", "fill it or remove it")


@rule("structure-parallel", "error", "The translation has the same chapters as the source, in the same order.",
      "Chapter n of the translation translates chapter n of the source; the ids differ only in the language "
      "prefix (nb.ch01 / en.ch01).")
def check_parallel(edition: Edition) -> Iterator[Diagnostic]:
    if edition.translation is None:
        return
    src, tr = edition.source.sections, edition.translation.sections
    for a, b in zip(src, tr):
        if a.id.split(".", 1)[-1] != b.id.split(".", 1)[-1]:
            yield diag("structure-parallel", b.loc, f"translation chapter {b.id!r} stands where the source has {a.id!r}",
                       "keep the chapters in the same order with matching ids")
    if len(src) != len(tr):
        yield diag("structure-parallel", edition.translation.sections[-1].loc if tr else Location(edition.translation.display_path),
                   f"the source has {len(src)} chapters, the translation {len(tr)}", "translate every chapter")


def _order(doc: Document | None) -> dict[str, int]:
    return {s.id: i for i, s in enumerate(doc.sentences())} if doc else {}


@rule("align-coverage", "error", "Every source and translation sentence is aligned exactly once.",
      "Each sentence appears in exactly one link of the alignment (or, for a source sentence left "
      "untranslated on purpose, in one <ptr type=\"untranslated\">).")
def check_alignment_coverage(edition: Edition) -> Iterator[Diagnostic]:
    if edition.alignment is None or edition.translation is None:
        return
    counts = Counter()
    for link in edition.links:
        counts.update(link.sources + link.targets)
    for doc in (edition.source, edition.translation):
        for s in doc.sentences():
            if counts[s.id] == 0:
                yield diag("align-coverage", s.loc, f"sentence {s.id!r} is not aligned",
                           f"add a link for it to {edition.alignment.display_path}")
    for link in edition.links:
        for sid in link.sources + link.targets:
            if counts[sid] > 1:
                yield diag("align-coverage", link.loc, f"sentence {sid!r} is aligned {counts[sid]} times",
                           "a sentence belongs to exactly one link")


@rule("align-shape", "error", "Links are 1:1, 1:n or n:1 between consecutive sentences, source first.",
      "A link names its source sentence(s) first and its translation sentence(s) after; n:m links are not "
      "allowed, the sentences of one side are consecutive, and every pointer names a sentence.")
def check_alignment_shape(edition: Edition) -> Iterator[Diagnostic]:
    if edition.alignment is None:
        return
    src, tr = _order(edition.source), _order(edition.translation)
    for link in edition.links:
        if link.untranslated:
            if len(link.sources) != 1 or link.targets:
                yield diag("align-shape", link.loc, "<ptr type=\"untranslated\"> must point at one source sentence")
            continue
        if not link.order_ok:
            yield diag("align-shape", link.loc, "the link names a translation sentence before a source sentence",
                       "write the source pointers first")
        if not link.sources or not link.targets:
            yield diag("align-shape", link.loc, "the link needs at least one source and one translation sentence",
                       "use <ptr type=\"untranslated\"> for a sentence left untranslated")
            continue
        if len(link.sources) > 1 and len(link.targets) > 1:
            yield diag("align-shape", link.loc, f"{len(link.sources)}:{len(link.targets)} link; only 1:1, 1:n and n:1 are allowed",
                       "split it into smaller links")
        for ids, order, side in ((link.sources, src, "source"), (link.targets, tr, "translation")):
            missing = [i for i in ids if i not in order]
            for i in missing:
                yield diag("align-shape", link.loc, f"{i!r} is not a {side} sentence", "point at s/@xml:id values")
            positions = [order[i] for i in ids if i in order]
            if not missing and positions != list(range(positions[0], positions[0] + len(positions))):
                yield diag("align-shape", link.loc, f"the {side} sentences of this link are not consecutive",
                           "a link joins neighbouring sentences only")


@rule("align-order", "error", "Links follow document order on both sides and do not cross.",
      "Reading the links in order walks forward through both texts: each link starts after the previous "
      "one ends, in the source and in the translation.")
def check_alignment_order(edition: Edition) -> Iterator[Diagnostic]:
    if edition.alignment is None:
        return
    src, tr = _order(edition.source), _order(edition.translation)
    last_src, last_tr = -1, -1
    for link in edition.links:
        s_pos = [src[i] for i in link.sources if i in src]
        t_pos = [tr[i] for i in link.targets if i in tr]
        if s_pos and min(s_pos) <= last_src:
            yield diag("align-order", link.loc, f"source sentence {link.sources[0]!r} comes before the previous link's",
                       "order links by document order")
        if t_pos and min(t_pos) <= last_tr:
            yield diag("align-order", link.loc, f"translation sentence {link.targets[0]!r} crosses or repeats an earlier link",
                       "links must not cross")
        last_src = max(s_pos + [last_src])
        last_tr = max(t_pos + [last_tr])


def run_rules(edition: Edition, selected: Iterable[str] | None = None) -> list[Diagnostic]:
    """Run every rule (or the selected ones) over the model."""
    wanted = set(selected) if selected else None
    result: list[Diagnostic] = []
    for r in RULES.values():
        if r.check is not None and (wanted is None or r.id in wanted):
            result.extend(r.check(edition))
    return result



from . import qa  # noqa: E402,F401  (the translation QA rules register themselves here)
