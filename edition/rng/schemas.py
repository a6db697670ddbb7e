"""A RelaxNG schema loaded once per process: the full grammar, its Schematron, and compiled
specialisations for the element names of the documents seen so far."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from .. import __version__
from ..errors import EditionError
from ..xmlsafe import parse_bytes, read_bytes
from . import schematron
from .contentmodel import ContentModels
from .exclusions import Exclusion, exclude
from .plainids import OptionalIds
from .specialise import REVISION as SPECIALISER_REVISION
from .structure import Structure, structure_of
from .specialise import (RNG_NS, attribute_names, can_specialise, ids_checked_by_parser, is_closed, pattern_qname,
                         specialise, untype_ids)

_R = f"{{{RNG_NS}}}"
_ALWAYS_FAST = 0  # element names compiled without a probe; some vocabularies of only ~60 names hang libxml2
_PROBE_SECONDS = 1.0
_FULL: dict[str, etree.RelaxNG] = {}  # full compiled schemas by digest, shared within a process


class RootNotAllowed(Exception):
    """The document's root element cannot match the schema's start pattern at all."""


class Accepted(NamedTuple):
    """What `Schema.accepts` knows of a document its specialisation accepted: a superset of its
    element and attribute names, and the nesting structure of the grammar it is valid against."""

    names: frozenset[str]
    attributes: frozenset[str]
    structure: Structure | None


class _Specialisation:
    """The specialisation compiled so far for one kind of document (xml:ids checked by the parser
    or not): it grows to the union of the names seen."""

    def __init__(self):
        self.names: frozenset[str] = frozenset()
        self.uses: frozenset[tuple[str, str]] = frozenset()
        self.attributes: frozenset[str] = frozenset()  # the attribute names in uses
        self.compiled: etree.RelaxNG | None = None
        self.closed = False  # the compiled grammar has no wildcard names
        self.structure: Structure | None = None  # its nesting (closed grammars only)
        self.strict: etree.RelaxNG | None = None  # the same with the Schematron's nesting bans (exclusions.py)
        self.strict_structure: Structure | None = None


class Schema:
    """One RelaxNG schema (XML syntax, or compact syntax converted with rnc2rng)."""

    def __init__(self, path: Path, cache_dir: Path | None = None):
        self.path = path
        self.display = str(path)
        data = read_bytes(path)
        if path.suffix.lower() == ".rnc":
            data = _compact_to_xml(data, path)
        self.digest = hashlib.sha256(data).hexdigest()
        self.tree = parse_bytes(data, str(path))
        self.tree.docinfo.URL = str(path.resolve())  # includes resolve relative to the schema
        self.grammar = self.tree.getroot()
        if self.grammar.tag not in (_R + "grammar", _R + "element"):
            raise EditionError("not a RelaxNG schema (XML syntax)", str(path), hint="pass a .rng or .rnc file")
        for ref in self.grammar.iter(_R + "include", _R + "externalRef"):
            if "://" in (ref.get("href") or ""):
                raise EditionError(f"the schema includes a remote resource {ref.get('href')}", str(path),
                                   hint="download it and point the include at the local copy (no network access)")
        self.specialisable = can_specialise(self.grammar)
        self.models = ContentModels(self.grammar)
        self.rules = schematron.extract(self.grammar, str(path))
        self.id_attributes = {pattern_qname(a) for a in self.grammar.iter(_R + "attribute")
                              if any(d.get("type") == "ID" for d in a.iter(_R + "data"))} - {None}
        self.cache_dir = cache_dir / "schemas" if cache_dir else None
        self.parser_checks_ids = ids_checked_by_parser(self.grammar)
        self._specialised = {False: _Specialisation(), True: _Specialisation()}  # by "xml:ids checked"
        self._reporter: tuple[frozenset[str], etree.RelaxNG] | None = None
        self._full: etree.RelaxNG | None = None
        self.exclusions: tuple[Exclusion, ...] = ()  # bans the Schematron run on its documents states exactly
        self._optional_ids: OptionalIds | None = None
        self._required: dict[str, list[frozenset[str]]] | None = None

    def validator_for(self, names: frozenset[str], uses: frozenset[tuple[str, str]],
                      ids_checked: bool = False) -> etree.RelaxNG:
        """A compiled schema that gives the full schema's verdict on any document with these
        element names and (element, attribute) name pairs (see `specialise.scan_uses`), and whose
        xml:ids the parser has checked when `ids_checked` (see `xmlsafe.parse_bytes`). It grows to
        the union of the names seen, so a corpus reuses one."""
        if not self.specialisable:
            return self._full_schema()
        current = self._specialised[ids_checked]
        if current.compiled is not None and names <= current.names and uses <= current.uses:
            return current.compiled
        union, use_union = current.names | names, current.uses | uses
        current.compiled, grammar = self._load_specialised(union, use_union, ids_checked)
        current.closed = grammar is not None and is_closed(grammar)
        current.structure = structure_of(grammar) if current.closed else None
        current.names, current.uses = union, use_union
        current.attributes = attribute_names(use_union)
        self._strengthen(current, grammar)
        return current.compiled

    def _strengthen(self, current: _Specialisation, grammar: etree._Element | None) -> None:
        """Compile the specialisation once more with those of the `exclusions` its grammar does not
        already imply, so that a document it accepts is known to break none of them."""
        current.strict = current.strict_structure = None
        if grammar is None or current.structure is None:
            return
        needed = tuple(e for e in self.exclusions
                       if any(current.structure.may_contain(e.outer, banned, e.avoiding) for banned in e.banned))
        if not needed:
            return
        strict = exclude(grammar, needed)
        try:
            compiled = self._compile_guarded(strict, current.names)
        except EditionError:
            return
        if compiled is not self._full:
            current.strict, current.strict_structure = compiled, structure_of(strict)

    def accepts(self, tree, ids_checked: bool = False) -> Accepted | None:
        """Try the specialisation compiled so far before scanning the document's names.

        A specialisation's language is a subset of the full schema's, so its acceptance is the
        full verdict. When it has no wildcard names, an accepted document also uses only the
        names it was built for: those are returned, a superset of the document's own names, and
        the nesting structure of that grammar, which the document is valid against (both for
        Schematron's pruning): of the grammar strengthened with the `exclusions` when that one
        accepts it too. None: not accepted, or not known; scan and validate as usual."""
        current = self._specialised[ids_checked]
        if current.compiled is None or not current.closed:
            return None
        if current.strict is not None and current.strict.validate(tree):
            return Accepted(current.names, current.attributes, current.strict_structure)
        if not current.compiled.validate(tree):
            return None
        return Accepted(current.names, current.attributes, current.structure)

    @property
    def required_children(self) -> dict[str, list[frozenset[str]]]:
        """For each element name, sets of names of which the full grammar requires a child (for
        the messages about an incomplete element; computed on first use, about 30 ms for tei_all)."""
        if self._required is None:
            self._required = structure_of(self.grammar).required
        return self._required

    def xml_ids_optional(self, names) -> bool:
        """Whether a document with elements of these names, valid without its xml:ids against a
        closed specialisation, is valid with them when they are NCNames, no two the same
        (plainids.py): the grammar lets each such element have any xml:id or none."""
        if not self.parser_checks_ids:
            return False
        if self._optional_ids is None:
            self._optional_ids = OptionalIds(self.grammar)
        return self._optional_ids.allow(names)

    def reporter_for(self, names: frozenset[str]) -> etree.RelaxNG:
        """For the messages about an invalid document: the specialisation to these element names
        (and those seen before) that keeps every attribute pattern, so that libxml2 names a
        missing required attribute instead of rejecting its element."""
        if not self.specialisable:
            return self._full_schema()
        if self._reporter is None or not names <= self._reporter[0]:
            union = self._specialised[False].names | self._specialised[True].names | names
            self._reporter = (union, self._load_specialised(union, None)[0])
        return self._reporter[1]

    def explainer_for(self, names: frozenset[str]) -> etree.RelaxNG:
        """For the messages about an invalid document: a specialisation that also keeps every
        element its elements may contain, so libxml2 can name a missing required child
        (the verdict is the same; only the error log is better)."""
        if not self.specialisable:
            return self._full_schema()
        wider = set(names)
        for name in names:
            model = self.models.element(name)
            if model is not None:
                wider |= {c for c in model.children if c != "*"}
        return self._load_specialised(frozenset(wider), None)[0]  # all attributes: libxml2 names a missing one

    def _load_specialised(self, names: frozenset[str], uses: frozenset[tuple[str, str]] | None,
                          ids_checked: bool = False) -> tuple[etree.RelaxNG, etree._Element | None]:
        """The compiled specialisation and its grammar (None: the full schema stands in for it)."""
        untyped = ids_checked and self.parser_checks_ids
        listed = "\n".join(sorted(names)) + "\n@\n" + ("*" if uses is None else "\n".join(sorted(" ".join(u) for u in uses)))
        listed += "\nID untyped" if untyped else ""
        key = hashlib.sha256(listed.encode()).hexdigest()[:32]
        cached = (self.cache_dir / f"{self.digest[:32]}-{key}-{__version__}-r{SPECIALISER_REVISION}.rng"
                  if self.cache_dir else None)
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
            if data == b"ROOT-NOT-ALLOWED":
                raise RootNotAllowed
            if data == b"USE-FULL-SCHEMA":
                return self._full_schema(), None
            grammar = parse_bytes(data, str(cached)).getroot()
            return self._compile(grammar), grammar
        grammar = specialise(self.grammar, names, uses)
        if untyped:
            untype_ids(grammar)
        dead = not any(True for s in grammar.iter(_R + "start") for k in s if k.tag != _R + "notAllowed")
        if dead:
            if cached is not None:
                _write_atomically(cached, b"ROOT-NOT-ALLOWED")
            raise RootNotAllowed
        compiled = self._compile_guarded(grammar, names)
        if cached is not None:
            _write_atomically(cached, b"USE-FULL-SCHEMA" if compiled is self._full else etree.tostring(grammar))
        return compiled, None if compiled is self._full else grammar

    def _compile_guarded(self, grammar: etree._Element, names: frozenset[str]) -> etree.RelaxNG:
        """Compile a specialisation, or the full schema when libxml2 would take too long.

        libxml2 turns content models into automata, and for some wide vocabularies that takes
        exponential time. Small vocabularies are always fast (measured); larger ones are first
        compiled in a forked probe process that is killed after a time limit."""
        if len(names) <= _ALWAYS_FAST or _probe(grammar):
            return self._compile(grammar)
        return self._full_schema()

    def _full_schema(self) -> etree.RelaxNG:
        if self._full is None:
            if self.digest not in _FULL:
                _FULL[self.digest] = self._compile(self.grammar)
            self._full = _FULL[self.digest]
        return self._full

    def _compile(self, grammar: etree._Element) -> etree.RelaxNG:
        try:
            return etree.RelaxNG(grammar)
        except etree.RelaxNGParseError as exc:
            raise EditionError(f"the schema does not compile: {exc}", self.display,
                               hint="check it with `jing` or `trang`") from None


def _probe(grammar: etree._Element, limit: float = _PROBE_SECONDS) -> bool:
    """Does libxml2 compile this grammar within `limit` seconds? (in a forked child, killed if not)"""
    if not hasattr(os, "fork"):
        return True
    pid = os.fork()
    if pid == 0:  # the child compiles and reports by its exit status
        try:
            etree.RelaxNG(grammar)
            os._exit(0)
        except BaseException:
            os._exit(1)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False


def _compact_to_xml(data: bytes, path: Path) -> bytes:
    try:
        import rnc2rng
    except ImportError:
        raise EditionError("compact syntax needs the rnc2rng package", str(path),
                           hint="pip install rnc2rng, or convert with `trang schema.rnc schema.rng`") from None
    try:
        return rnc2rng.dumps(rnc2rng.loads(data.decode("utf-8"))).encode("utf-8")
    except Exception as exc:  # rnc2rng raises plain exceptions on syntax errors
        raise EditionError(f"cannot read the compact syntax: {exc}", str(path)) from None


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
