"""`edition validate` for an edition: safe parse, schema, then the editorial-policy rules."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .diagnostics import Diagnostic
from .loader import build_edition, parse_edition
from .rules import run_rules
from .schema import check_schema


@dataclass
class Report:
    """What a validation run found."""

    diagnostics: list[Diagnostic]
    files: list[str]

    def failed(self, strict: bool = False) -> bool:
        return any(d.severity == "error" or (strict and d.severity == "warning") for d in self.diagnostics)


def validate_edition(config: Config, rules: list[str] | None = None) -> Report:
    """Validate every file of the edition; unparsable files raise EditionError (exit 2)."""
    parsed = parse_edition(config)
    diagnostics: list[Diagnostic] = []
    for pf in parsed.values():
        diagnostics += check_schema(pf)
    edition = build_edition(config, parsed)
    diagnostics += run_rules(edition, rules)
    diagnostics.sort(key=Diagnostic.sort_key)
    return Report(diagnostics, [pf.path for pf in parsed.values()])
