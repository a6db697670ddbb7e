"""The one loader: safe parse of every file of an edition, then one pass from TEI into the model.

`parse_edition` reads the files; `build_edition` turns parsed files into an `Edition`;
`load_edition` does both. Renderers and validators use the model and never re-parse TEI.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import Config
from .errors import EditionError
from .model import (Bibl, Block, Category, Choice, Date, Document, Edition, Entity, Inline, Link, Location,
                    Name, Note, PointerUse, Section, Seg, Sentence, Span, Supplied, Text)
from .pointers import PrefixDef, resolve
from .xmlsafe import TEI_NS, XML_ID, XML_LANG, ParsedFile, parse_tei_file

T = f"{{{TEI_NS}}}"
POINTER_ATTRIBUTES = ("ref", "target", "corresp", "ana", "datingMethod", "resp", "who")
MUST_HAVE_TEXT = {"s", "sic", "corr", "orig", "reg", "supplied", "persName", "placeName", "orgName", "date",
                  "seg", "foreign", "catDesc", "bibl", "idno", "geo", "title", "resp", "edition", "language"}
NAME_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
SPAN_KINDS = {"foreign", "hi", "q", "num", "title"}


def local(el) -> str:
    return el.tag[len(T):] if isinstance(el.tag, str) and el.tag.startswith(T) else str(el.tag)


def display_path(path: Path, root: Path) -> str:
    """The path as shown in diagnostics: relative to the edition root when inside it."""
    try:
        return os.path.relpath(path, root) if path.is_absolute() and path.resolve().is_relative_to(root.resolve()) else str(path)
    except ValueError:
        return str(path)


class _Reader:
    """Reads one parsed TEI file into a Document (and entities or links for standoff files)."""

    def __init__(self, parsed: ParsedFile, path: Path, display: str, role: str):
        self.parsed = parsed
        self.path = path
        self.display = display
        self.role = role
        self.prefixes: dict[str, PrefixDef] = {}
        self.lang = ""

    def loc(self, el) -> Location:
        line, column = self.parsed.position(el)
        return Location(self.display, line, column)

    # -- header --------------------------------------------------------------------------------
    def document(self) -> Document:
        root = self.parsed.root
        for pd in root.iter(f"{T}prefixDef"):
            ident = pd.get("ident")
            if ident:
                self.prefixes[ident] = PrefixDef(ident, pd.get("matchPattern", ""), pd.get("replacementPattern", ""))
        title_el = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
        doc = Document(
            path=self.path, display_path=self.display, role=self.role,  # type: ignore[arg-type]
            lang=root.get(XML_LANG),
            title=" ".join("".join(title_el.itertext()).split()) if title_el is not None else "",
        )
        source_desc = root.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc")
        if source_desc is not None:
            doc.source_description = " ".join("".join(source_desc.itertext()).split())
            nav = source_desc.find(f".//{T}note[@type='navigation']")
            if nav is not None:
                doc.navigation = " ".join("".join(nav.itertext()).split())
        self.statement(doc)
        for cat in root.iter(f"{T}category"):
            cid = cat.get(XML_ID)
            if cid:
                labels = {d.get(XML_LANG) or "": " ".join("".join(d.itertext()).split()) for d in cat.findall(f"{T}catDesc")}
                doc.categories[cid] = Category(cid, labels)
        self.index(doc)
        return doc

    def statement(self, doc: Document) -> None:
        """Authors, edition statement, publication, licence and editorial principles from the header."""
        root = self.parsed.root

        def text(el) -> str:
            return " ".join("".join(el.itertext()).split()) if el is not None else ""

        file_desc = f"{T}teiHeader/{T}fileDesc/"
        doc.authors = [t for t in (text(a) for a in root.findall(f"{file_desc}{T}titleStmt/{T}author")) if t]
        doc.edition_statement = text(root.find(f"{file_desc}{T}editionStmt"))
        doc.publisher = text(root.find(f"{file_desc}{T}publicationStmt/{T}publisher"))
        date = root.find(f"{file_desc}{T}publicationStmt/{T}date")
        doc.publication_date = (date.get("when") or text(date)) if date is not None else ""
        licence = root.find(f"{file_desc}{T}publicationStmt/{T}availability/{T}licence")
        if licence is not None:
            doc.licence, doc.licence_url = text(licence), licence.get("target")
        encoding = f"{T}teiHeader/{T}encodingDesc/"
        doc.project_description = [text(p) for p in root.findall(f"{encoding}{T}projectDesc/{T}p") if text(p)]
        doc.editorial_declaration = [text(p) for p in root.findall(f"{encoding}{T}editorialDecl/{T}p") if text(p)]

    def index(self, doc: Document) -> None:
        """Ids, pointers and empty required elements of the whole file."""
        for el in self.parsed.elements:
            name = local(el)
            xid = el.get(XML_ID)
            if xid is not None:
                if xid in doc.ids:
                    doc.duplicate_ids.append((xid, self.loc(el)))
                else:
                    doc.ids[xid] = self.loc(el)
                    doc.id_elements[xid] = name
            for attr in POINTER_ATTRIBUTES:
                value = el.get(attr)
                if value is None or (attr == "target" and name in ("licence",)):
                    continue
                for raw in value.split():
                    file, fid, external = resolve(raw, self.path, self.prefixes)
                    if external:
                        continue
                    doc.pointers.append(PointerUse(attr, name, raw, str(file) if file else None, fid, self.loc(el)))
            if name in MUST_HAVE_TEXT and not "".join(el.itertext()).strip():
                doc.empties.append((name, self.loc(el)))

    # -- text ----------------------------------------------------------------------------------
    def inline(self, el) -> list[Inline]:
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                node = self.node(child)
                if node is not None:
                    out.append(node)
            if child.tail:
                out.append(Text(child.tail))
        return out

    def node(self, el) -> Inline | None:
        name = local(el)
        if name == "choice":
            parts = {local(c): c for c in el if isinstance(c.tag, str)}
            kind = "sic" if ("sic" in parts or "corr" in parts) else "orig"
            first, second = ("sic", "corr") if kind == "sic" else ("orig", "reg")
            return Choice(kind, self.inline(parts[first]) if first in parts else [],
                          self.inline(parts[second]) if second in parts else [], self.loc(el),
                          complete=first in parts and second in parts and len(parts) == 2)
        if name == "supplied":
            return Supplied(self.inline(el), el.get("reason", ""), self.loc(el))
        if name in NAME_KINDS:
            ref = el.get("ref", "")
            key = None
            if ref:
                _, key, _ = resolve(ref.split()[0], self.path, self.prefixes)
            return Name(NAME_KINDS[name], ref, key, self.inline(el), el.get(XML_LANG), self.loc(el))  # type: ignore[arg-type]
        if name == "date":
            calendar = None
            if el.get("datingMethod"):
                _, calendar, _ = resolve(el.get("datingMethod"), self.path, self.prefixes)
            return Date(el.get("when"), el.get("when-custom"), el.get("from"), el.get("to"),
                        calendar, self.inline(el), self.loc(el))
        if name == "seg":
            return Seg(el.get(XML_ID), el.get("type"), self.inline(el), self.loc(el))
        if name in ("sic", "corr", "orig", "reg"):  # outside a choice: keep the text
            return Span(name, el.get(XML_LANG), self.inline(el))
        if name in ("note", "s"):
            return None
        return Span(name, el.get(XML_LANG), self.inline(el))

    @staticmethod
    def tail(s_element) -> str:
        """White space after a sentence: as encoded between sentences, a line break at the end of a block."""
        if s_element.tail:
            return s_element.tail
        return "" if s_element.getnext() is not None else "\n"

    def sentences(self, el, section: str) -> list[Sentence]:
        """The `s` elements directly under el (or under its p children, for quotations)."""
        result = []
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "s":
                result.append(Sentence(child.get(XML_ID, ""), child.get(XML_LANG) or self.lang, self.inline(child),
                                       self.loc(child), section, self.tail(child)))
            elif local(child) == "p":
                result += self.sentences(child, section)
        return result

    def block(self, el, section: str) -> Block | None:
        name = local(el)
        if name in ("head", "p", "quote"):
            return Block(name, self.sentences(el, section), id=el.get(XML_ID), loc=self.loc(el))  # type: ignore[arg-type]
        if name == "floatingText":
            letter = Block("letter", id=el.get(XML_ID), loc=self.loc(el))
            for div in el.iter(f"{T}div"):
                for part in div:
                    if not isinstance(part.tag, str):
                        continue
                    pname = local(part)
                    if pname in ("opener", "closer"):
                        frame = Block(pname, self.sentences(part, section), loc=self.loc(part))  # type: ignore[arg-type]
                        for sub in part:
                            if isinstance(sub.tag, str) and local(sub) in ("salute", "dateline", "signed"):
                                frame.children.append(Block(local(sub), self.sentences(sub, section), loc=self.loc(sub)))  # type: ignore[arg-type]
                        letter.children.append(frame)
                    elif pname == "p":
                        letter.children.append(Block("p", self.sentences(part, section), loc=self.loc(part)))
            return letter
        if name != "note" and next(el.iter(f"{T}s"), None) is not None:
            # a container outside the contract (lg, list, a nested div …): keep its sentences as a block
            return Block("p", [Sentence(s.get(XML_ID, ""), s.get(XML_LANG) or self.lang, self.inline(s), self.loc(s),
                                        section) for s in el.iter(f"{T}s")], id=el.get(XML_ID), loc=self.loc(el))
        return None

    def text(self, doc: Document) -> None:
        self.lang = doc.lang or ""
        root = self.parsed.root
        front = root.find(f"{T}text/{T}front")
        if front is not None:
            for part in front.iter(f"{T}titlePart"):
                doc.front += self.sentences(part, "front")
        body = root.find(f"{T}text/{T}body")
        if body is not None:
            for n, div in enumerate((d for d in body if local(d) == "div"), start=1):
                sid = div.get(XML_ID) or f"section-{n}"
                head_el = div.find(f"{T}head")
                head = Block("head", self.sentences(head_el, sid), loc=self.loc(head_el)) if head_el is not None \
                    else Block("head", loc=self.loc(div))
                blocks = [b for b in (self.block(c, sid) for c in div if isinstance(c.tag, str) and local(c) != "head") if b]
                doc.sections.append(Section(sid, n, head, blocks, self.loc(div)))
        text = root.find(f"{T}text")
        for note in (text.iter(f"{T}note") if text is not None else ()):
            doc.notes.append(self.note(note))

    def note(self, el) -> Note:
        texts: dict[str, str] = {}
        for p in el.findall(f"{T}p"):
            lang = p.get(XML_LANG) or self.lang
            texts[lang] = (texts.get(lang, "") + " " + " ".join("".join(p.itertext()).split())).strip()
        if not texts and (el.text or "").strip():
            texts[el.get(XML_LANG) or self.lang] = " ".join("".join(el.itertext()).split())
        sources = []
        for bibl in el.iter(f"{T}bibl"):
            ref = bibl.find(f".//{T}ref")
            sources.append(Bibl(" ".join("".join(bibl.itertext()).split()), ref.get("target") if ref is not None else None))
        verdict = None
        for raw in (el.get("ana") or "").split():
            _, fid, _ = resolve(raw, self.path, self.prefixes)
            verdict = fid
        targets = []
        for raw in (el.get("target") or "").split():
            _, fid, _ = resolve(raw, self.path, self.prefixes)
            targets.append(fid or raw)
        return Note(el.get(XML_ID), el.get("type"), targets, verdict, texts, sources, self.loc(el))

    # -- standoff ------------------------------------------------------------------------------
    def entities(self) -> list[Entity]:
        result = []
        kinds = {"person": ("person", "persName"), "place": ("place", "placeName"), "org": ("org", "orgName")}
        for el in self.parsed.elements:
            name = local(el)
            if name not in kinds:
                continue
            kind, name_tag = kinds[name]
            entity = Entity(el.get(XML_ID, ""), kind, [], self.loc(el))  # type: ignore[arg-type]
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                cname = local(child)
                text = " ".join("".join(child.itertext()).split())
                if cname == name_tag:
                    entity.names.append((child.get(XML_LANG), child.get("type"), text))
                elif cname == "birth":
                    entity.birth = child.get("when") or child.get("notBefore") or text or None
                elif cname == "death":
                    entity.death = child.get("when") or child.get("notBefore") or text or None
                elif cname == "location":
                    geo = child.find(f"{T}geo")
                    entity.geo = " ".join((geo.text or "").split()) if geo is not None else None
                elif cname == "idno":
                    entity.idnos[child.get("type") or ""] = text
                elif cname == "desc" and (child.get(XML_LANG) in (None, "en") or not entity.description):
                    entity.description = text
                elif cname == "note":
                    entity.notes.append(text)
            result.append(entity)
        return result

    def links(self, source: Path | None, translation: Path | None) -> list[Link]:
        result = []
        for grp in self.parsed.root.iter(f"{T}linkGrp"):
            for el in grp:
                if not isinstance(el.tag, str) or local(el) not in ("link", "ptr"):
                    continue
                sources, targets, order_ok = [], [], True
                for raw in (el.get("target") or "").split():
                    file, fid, _ = resolve(raw, self.path, self.prefixes)
                    if file is not None and source is not None and file == source.resolve():
                        if targets:
                            order_ok = False
                        sources.append(fid or raw)
                    else:
                        targets.append(fid or raw)
                untranslated = local(el) == "ptr" and el.get("type") == "untranslated"
                result.append(Link(sources, targets, self.loc(el), el.get("cert"), untranslated, order_ok,
                                   el.get("ana") or ""))
        return result


def parse_edition(config: Config) -> dict[Path, ParsedFile]:
    """Parse every file named by the configuration (safe parser); EditionError on the first bad one."""
    parsed = {}
    for path in config.files():
        parsed[path] = parse_tei_file(path, display_path(path, config.root))
    return parsed


def build_edition(config: Config, parsed: dict[Path, ParsedFile]) -> Edition:
    """Turn parsed files into the model."""

    def read(path: Path, role: str) -> _Reader:
        return _Reader(parsed[path], path, display_path(path, config.root), role)

    source_reader = read(config.source, "source")
    source = source_reader.document()
    source_reader.text(source)
    translation = None
    if config.translation:
        reader = read(config.translation, "translation")
        translation = reader.document()
        reader.text(translation)
    registers, entities = [], {}
    for path in config.registers.values():
        reader = read(path, "register")
        registers.append(reader.document())
        for entity in reader.entities():
            entities.setdefault(entity.id, entity)
    alignment, links = None, []
    if config.alignment:
        reader = read(config.alignment, "alignment")
        alignment = reader.document()
        links = reader.links(config.source, config.translation)
    return Edition(config.title, config.root, source, translation, registers, alignment, entities, links,
                   config.source_lang, config.translation_lang)


def load_document(path: Path, role: str = "source", root: Path | None = None) -> Document:
    """Read one TEI text outside any edition (e.g. for `edition align`) into the model."""
    path = Path(path)
    parsed = parse_tei_file(path, display_path(path.resolve(), (root or Path.cwd()).resolve()))
    reader = _Reader(parsed, path.resolve(), parsed.path, role)
    doc = reader.document()
    reader.text(doc)
    return doc


def load_links(path: Path, source: Path, translation: Path, root: Path | None = None) -> list[Link]:
    """Read the links of a standalone alignment file whose pointers name `source` and `translation`."""
    path = Path(path)
    parsed = parse_tei_file(path, display_path(path.resolve(), (root or Path.cwd()).resolve()))
    reader = _Reader(parsed, path.resolve(), parsed.path, "alignment")
    reader.document()  # reads the prefix declarations
    return reader.links(Path(source).resolve(), Path(translation).resolve())


def load_edition(config: Config) -> Edition:
    """Read a whole edition into the model (raises EditionError for unreadable or malformed files)."""
    return build_edition(config, parse_edition(config))


