"""`edition stats`: what the edition contains, counted from the model."""

from __future__ import annotations

from collections import Counter

from .model import Choice, Date, Edition, Name, Supplied, iter_nodes

VERDICT_ORDER = ("correct", "inaccurate", "incorrect", "contradictory", "disputed", "unverifiable")


def edition_stats(edition: Edition, spelling_leftovers: int | None = None) -> dict:
    """Counts of chapters, sentences, corrections, names, dates and fact-checks."""
    source_sentences = edition.source.sentences()
    corrections: Counter = Counter()
    names: Counter = Counter()
    distinct: dict[str, set] = {"person": set(), "place": set(), "org": set()}
    dates: Counter = Counter()
    for s in source_sentences:
        for node in iter_nodes(s.content):
            if isinstance(node, Choice):
                corrections["typo (sic/corr)" if node.kind == "sic" else "normalised variant (orig/reg)"] += 1
            elif isinstance(node, Supplied):
                corrections["supplied"] += 1
            elif isinstance(node, Name):
                names[node.kind] += 1
                if node.key:
                    distinct[node.kind].add(node.key)
            elif isinstance(node, Date):
                dates["julian" if node.when_custom else "gregorian"] += 1
    verdicts = Counter((n.verdict or "none").removeprefix("verdict.") for n in edition.source.notes
                       if n.type == "fact-check")
    register = Counter(e.kind for e in edition.entities.values())
    result = {
        "chapters": len(edition.source.sections),
        "sentences": {"source": len(source_sentences),
                      "translation": len(edition.translation.sentences()) if edition.translation else 0},
        "corrections": {"total": sum(corrections.values()), **dict(sorted(corrections.items()))},
        "names": {kind: {"mentions": names[kind], "distinct": len(distinct[kind]), "register": register[kind]}
                  for kind in ("person", "place", "org")},
        "dates": {"total": sum(dates.values()), "with julian reading": dates["julian"]},
        "fact_checks": {"total": sum(verdicts.values()),
                        **{v: verdicts[v] for v in VERDICT_ORDER if verdicts[v]},
                        **{v: c for v, c in verdicts.items() if v not in VERDICT_ORDER}},
        "alignment_links": len(edition.links),
    }
    if spelling_leftovers is not None:
        result["spelling_leftovers"] = spelling_leftovers
    return result


def format_stats(stats: dict) -> str:
    """The stats as an indented table for the terminal."""
    lines = []

    def emit(key: str, value, depth: int) -> None:
        label = key.replace("_", " ")
        if isinstance(value, dict):
            lines.append(f"{'  ' * depth}{label}:")
            for k, v in value.items():
                emit(k, v, depth + 1)
        else:
            lines.append(f"{'  ' * depth}{label + ':':28} {value}")

    for k, v in stats.items():
        emit(k, v, 0)
    return "\n".join(lines)
