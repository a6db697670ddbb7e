"""Alignment quality and speed on the real texts and on harder cases made from them.

    python bench/bench_align.py            # the table in docs/alignment.md (5 seeds per case)
    python bench/bench_align.py --seeds 1  # quicker

For each case the English translation is changed (sentences merged, split at a semicolon or comma, dropped;
divisions renamed so that they cannot be used) and the proposed alignment is compared link by link with
the alignment a perfect aligner would give. Figures are link precision / recall (exact links), averaged over
the seeds, for the full method and for two ablations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from alignment_cases import perturb  # noqa: E402
from edition.align import AlignOptions, align_documents  # noqa: E402
from edition.alignscore import as_links, score_links  # noqa: E402
from edition.loader import load_document, load_links  # noqa: E402

SOURCE = REPO / "tei" / "sovjetunionens-historie.xml"
TRANSLATION = REPO / "translations" / "sovjetunionens-historie.en.xml"
HAND = REPO / "translations" / "alignment.xml"

CASES = {
    "10% of sentences merged (2:1)": dict(merge=0.10),
    "10% split (1:2)": dict(split=0.10),
    "5% dropped (untranslated)": dict(drop=0.05),
    "mixed: 8% merged, 8% split, 4% dropped": dict(merge=0.08, split=0.08, drop=0.04),
    "mixed, divisions unusable": dict(merge=0.08, split=0.08, drop=0.04, divisions=False),
    "heavy: 15% merged, 15% split, 8% dropped": dict(merge=0.15, split=0.15, drop=0.08),
    "mixed, and 30% of the rest shortened by a clause": dict(merge=0.08, split=0.08, drop=0.04, trim=0.3),
    "heavy, and 30% shortened, divisions unusable": dict(merge=0.15, split=0.15, drop=0.08, trim=0.3,
                                                          divisions=False),
}
METHODS = {
    "full": AlignOptions(),
    "no anchors": AlignOptions(anchors=False),
    "lengths only": AlignOptions(anchors=False, paragraphs=False),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    source = load_document(SOURCE)
    translation = load_document(TRANSLATION, "translation")
    hand = load_links(HAND, SOURCE, TRANSLATION)
    print("| case | links | " + " | ".join(METHODS) + " |")
    print("| --- | ---: | " + " | ".join("---" for _ in METHODS) + " |")
    row = []
    for options in METHODS.values():
        start = time.perf_counter()
        score = score_links(align_documents(source, translation, options).beads, hand)
        row.append(f"{100 * score.precision:.1f} / {100 * score.recall:.1f} ({time.perf_counter() - start:.1f} s)")
    print(f"| hand alignment of the edition | {len(hand)} | " + " | ".join(row) + " |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, changes in CASES.items():
            results = {m: ([], []) for m in METHODS}
            sizes = []
            for seed in range(1, args.seeds + 1):
                case = perturb(TRANSLATION, Path(tmp) / f"case-{seed}.xml", seed=seed, **changes)
                changed = load_document(case.path, "translation")
                reference = as_links(case.reference)
                sizes.append(len(reference))
                for method, options in METHODS.items():
                    score = score_links(align_documents(source, changed, options).beads, reference)
                    results[method][0].append(score.precision)
                    results[method][1].append(score.recall)
            cells = [f"{100 * statistics.mean(p):.1f} / {100 * statistics.mean(r):.1f}" for p, r in results.values()]
            print(f"| {name} | {round(statistics.mean(sizes))} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
