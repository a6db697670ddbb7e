"""Validate one file: safe parse, RelaxNG (specialised), IDs, Schematron — diagnostics, never an exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..errors import EditionError
from ..xmlsafe import parse_bytes, read_bytes
from . import schematron
from .contentmodel import display
from .locate import schema_from_model
from .messages import Source, element_path, translate
from .resultcache import ResultCache
from .schemas import RootNotAllowed, Schema
from .specialise import attribute_names, scan_uses
from .structure import Structure


@dataclass
class Settings:
    """What every file of a run is checked against (picklable, sent to the workers)."""

    schema: Path | None = None
    schematron_files: list[Path] = field(default_factory=list)
    phase: str | None = None  # of the --schematron files; None: each file's defaultPhase
    embedded_schematron: bool = True
    cache_dir: Path | None = None
    result_cache: bool = False


class Checker:
    """Per-process state: loaded schemas and compiled Schematron, reused for every file."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.schemas: dict[Path, Schema] = {}
        self.schematrons: dict[Path | None, schematron.Validator | None] = {}
        self.cache = ResultCache(settings.cache_dir) if settings.cache_dir and settings.result_cache else None
        self._extra: list[schematron.Rules] = []
        for sch in settings.schematron_files:
            tree = parse_bytes(read_bytes(sch), str(sch))
            if tree.getroot().tag not in (f"{{{schematron.ISO_NS}}}schema", f"{{{schematron.OLD_NS}}}schema"):
                raise EditionError("not a Schematron schema (root <sch:schema>)", str(sch))
            self._extra.append(schematron.extract(tree.getroot(), str(sch), settings.phase))
        if settings.schema is not None:
            self.schema(settings.schema)

    def schema(self, path: Path) -> Schema:
        key = path.resolve()
        if key not in self.schemas:
            self.schemas[key] = Schema(path, self.settings.cache_dir)
        return self.schemas[key]

    def _schematron(self, schema: Schema | None) -> schematron.Validator | None:
        key = schema.path.resolve() if schema else None
        if key not in self.schematrons:
            parts = list(self._extra)
            if schema is not None and self.settings.embedded_schematron and len(schema.rules):
                parts.insert(0, schema.rules)
            self.schematrons[key] = (schematron.Validator(schematron.merge(*parts), cache_dir=self.settings.cache_dir)
                                     if parts else None)
        return self.schematrons[key]

    def check(self, path: Path, display_path: str) -> list[Diagnostic]:
        """All diagnostics of one file."""
        try:
            data = read_bytes(path, display_path)
        except EditionError as exc:
            return [_from_error(exc, display_path)]
        try:
            schema = self._schema_for(data, path)
        except EditionError as exc:
            return [_from_error(exc, display_path, rule="schema")]
        sch = self._schematron(schema)
        key = None
        if self.cache is not None:
            key = self.cache.key(display_path, data, schema.digest if schema else "", sch.digest if sch else "")
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        diagnostics = self._check(data, path, display_path, schema, sch)
        if key is not None:
            self.cache.put(key, diagnostics)
        return diagnostics

    def _schema_for(self, data: bytes, path: Path) -> Schema | None:
        if self.settings.schema is not None:
            return self.schema(self.settings.schema)
        found, why = schema_from_model(data, path)
        if found is None:
            if self._extra:
                return None  # Schematron only
            raise EditionError(why or "no schema")
        return self.schema(found)

    def _check(self, data: bytes, path: Path, shown: str, schema: Schema | None,
               sch: schematron.Validator | None) -> list[Diagnostic]:
        try:
            tree, ids_checked = _parse(data, shown, collect_ids=schema is not None)
        except EditionError as exc:
            return [_from_error(exc, shown)]
        source = Source(data)
        diagnostics: list[Diagnostic] = []
        accepted = schema.accepts(tree, ids_checked) if schema is not None else None  # valid: no need to scan
        structure = None
        if accepted is None:
            tags, uses = scan_uses(tree.getroot())
            scanned = tags, attribute_names(uses)
            if schema is not None:
                diagnostics += self._relaxng(tree, source, schema, shown, tags, uses, ids_checked)
        else:
            scanned, structure = (accepted.names, accepted.attributes), accepted.structure
        if sch is not None:
            diagnostics += _schematron(sch, path, tree, source, shown, scanned, structure)
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

    def _relaxng(self, tree, source: Source, schema: Schema, shown: str, names: frozenset[str],
                 uses: frozenset[tuple[str, str]], ids_checked: bool) -> list[Diagnostic]:
        root = tree.getroot()
        try:
            if schema.validator_for(names, uses, ids_checked).validate(tree):
                return []
        except RootNotAllowed:  # some required content is missing: the schemas below name it
            pass
        validator = None
        for wider in (schema.reporter_for, schema.explainer_for):
            try:
                validator = wider(names)
                break
            except RootNotAllowed:
                continue
        if validator is None:
            expected = ", ".join(f"<{display(n)}>" for n in schema.models.start_names)
            ns = etree.QName(root).namespace or "(none)"
            return [Diagnostic(shown, root.sourceline or 1, source.column(root), "error", "schema",
                               f"root element <{etree.QName(root).localname}> (namespace {ns}) is not allowed "
                               f"by {schema.path.name}",
                               f"the schema expects {expected} in namespace "
                               f"{', '.join(sorted({etree.QName(n).namespace or '(none)' for n in schema.models.start_names}))}")]
        if validator.validate(tree):  # cannot happen: the explainer is a superset specialisation
            return [Diagnostic(shown, 0, 0, "error", "schema", "the document is not valid", "")]
        return translate(validator.error_log, tree, source, schema.models, schema.id_attributes, shown)


def _parse(data: bytes, shown: str, collect_ids: bool) -> tuple[etree._ElementTree, bool]:
    """The document's tree, and whether the parser has checked its xml:ids. With `collect_ids`,
    libxml2 registers xml:id values while parsing, which costs less than RelaxNG's ID datatype
    doing it during validation; a duplicate or malformed xml:id then fails the parse, and the
    plain parse that follows leaves it to the schema to judge, as it always did. A parse that
    succeeds has checked every xml:id: each an NCName, no two the same."""
    if collect_ids:
        try:
            return parse_bytes(data, shown, collect_ids=True), True
        except EditionError:
            pass
    return parse_bytes(data, shown), False


def _schematron(sch: schematron.Validator, path: Path, tree, source: Source, shown: str,
                scanned: tuple[frozenset[str], frozenset[str]], structure: Structure | None) -> list[Diagnostic]:
    result = []
    for failure in sch.run(path, tree, scanned, structure):
        el = failure.element if failure.element is not None else schematron.locate(tree, failure.path)
        if el is None:
            el = tree.getroot()
        hint = f"Schematron {failure.kind} {failure.pattern}; element path {element_path(el)}"
        result.append(Diagnostic(shown, el.sourceline or 0, source.column(el), failure.severity, "schematron",
                                 failure.message or f"Schematron {failure.kind} failed", hint))
    return result


def _from_error(exc: EditionError, shown: str, rule: str = "xml") -> Diagnostic:
    return Diagnostic(shown, exc.line, exc.column, "error", rule, exc.message, exc.hint or "")
