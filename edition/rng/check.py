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
from .plainids import XML_ID, WrittenIds, without_xml_ids
from .resultcache import ResultCache
from .schemas import RootNotAllowed, Schema
from .silent import exclusions_of
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
        self._without_ids = [0, 0]  # documents checked without their xml:ids, and those that could not be
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
            validator = schematron.Validator(schematron.merge(*parts), cache_dir=self.settings.cache_dir) if parts else None
            if schema is not None and validator is not None and validator.prune:
                schema.exclusions = exclusions_of(validator.rules)  # patterns a stricter grammar can silence
            self.schematrons[key] = validator
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
        written = WrittenIds(data) if schema is not None else None
        hits, misses = self._without_ids
        if schema is not None and schema.parser_checks_ids and written.worth_removing and misses <= hits + 2:
            found, parses = self._check_without_ids(data, path, shown, schema, sch, written.count)
            self._without_ids[found is None or parses > 1] += 1
            if found is not None:
                return found
        try:
            tree, ids_checked = _parse(data, shown, collect_ids=schema is not None, written=written)
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
                found, structure = self._relaxng(tree, source, schema, shown, tags, uses, ids_checked)
                diagnostics += found
        else:
            scanned, structure = (accepted.names, accepted.attributes), accepted.structure
        if sch is not None:
            diagnostics += _schematron(sch, path, tree, source, shown, scanned, structure)
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

    def _check_without_ids(self, data: bytes, path: Path, shown: str, schema: Schema,
                           sch: schematron.Validator | None, count: int) -> tuple[list[Diagnostic] | None, int]:
        """The diagnostics of a valid document whose `count` xml:ids are plain, found by
        validating it without them (plainids.py), and how many times it was parsed: the
        Schematron patterns that may fire run on that tree too when none of them can tell
        (`Validator.blind_to_xml_ids`; elements keep their lines), else on the document as
        written, parsed a second time.
        None: check the document as written (it has other xml:ids, or it is not valid). A worker
        stops trying once more than two documents more needed that, or a second parse, than not."""
        stripped = without_xml_ids(data, count)
        if stripped is None:
            return None, 0
        try:
            tree = parse_bytes(stripped, shown)
            accepted = schema.accepts(tree, ids_checked=True)
            if accepted is None:
                schema.validator_for(*scan_uses(tree.getroot()), ids_checked=True)
                accepted = schema.accepts(tree, ids_checked=True)
        except (EditionError, RootNotAllowed):
            return None, 1
        if accepted is None or not (schema.xml_ids_optional(accepted.names)
                                    or schema.xml_ids_optional(scan_uses(tree.getroot())[0])):
            return None, 1
        scanned = (accepted.names, accepted.attributes | {XML_ID})
        candidates = sch.candidates(tree, scanned, accepted.structure) if sch is not None else []
        if not candidates:
            return [], 1
        parses = 1
        if not sch.blind_to_xml_ids(candidates):
            del tree
            parses = 2
            try:
                tree = parse_bytes(data, shown)  # no ID table needed: Schematron's id() runs on Saxon
            except EditionError:
                return None, parses
        diagnostics = _schematron(sch, path, tree, Source(data), shown, scanned, accepted.structure)
        return sorted(diagnostics, key=Diagnostic.sort_key), parses

    def _relaxng(self, tree, source: Source, schema: Schema, shown: str, names: frozenset[str],
                 uses: frozenset[tuple[str, str]], ids_checked: bool) -> tuple[list[Diagnostic], Structure | None]:
        """RelaxNG's diagnostics, and for a valid document the nesting structure of a grammar it
        is valid against, if known."""
        try:
            validator = schema.validator_for(names, uses, ids_checked)
            accepted = schema.accepts(tree, ids_checked)  # the specialisation just grown to its names
            if accepted is not None:
                return [], accepted.structure
            if validator.validate(tree):
                return [], None
        except RootNotAllowed:  # some required content is missing: the schemas below name it
            pass
        return self._explain(tree, source, schema, shown, names), None

    @staticmethod
    def _explain(tree, source: Source, schema: Schema, shown: str, names: frozenset[str]) -> list[Diagnostic]:
        """The diagnostics of a document the schema rejects, from the specialisations whose error
        messages name what is wrong."""
        root = tree.getroot()
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
        return translate(validator.error_log, tree, source, schema.models, schema.id_attributes, shown,
                         schema.required_children)


def _parse(data: bytes, shown: str, collect_ids: bool, written: WrittenIds | None = None) -> tuple[etree._ElementTree, bool]:
    """The document's tree, and whether its xml:ids are known to be NCNames, no two the same
    (then RelaxNG's ID datatype, slow in libxml2, need not check them again).

    With `collect_ids`, that is first looked for in the bytes (`written`, plainids.py); failing
    that, libxml2 registers the xml:id values while parsing, and a duplicate or malformed one
    fails that parse. The plain parse that follows then leaves the xml:ids to the schema to judge."""
    if collect_ids:
        if (written or WrittenIds(data)).plain:
            return parse_bytes(data, shown), True
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
