"""Benchmark of the web build (no PDF): the real edition, and synthetic editions k times as large.

    python bench/bench_build.py                    # real edition, then 1x, 10x, 100x synthetic
    python bench/bench_build.py --factors 1,10     # fewer sizes
    python bench/bench_build.py --runs 5           # repetitions of the real-edition timing

A synthetic edition repeats every chapter of the real one k times (chapters, fact-check notes and
alignment links renumbered, registers shared), so it has k times the sentences, notes and names.
Each build is timed in one process: load the TEI into the model, render every page, copy the TEI
downloads, write the pagefind index. Times per sentence that stay flat show linear growth.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition.config import load_config  # noqa: E402
from edition.loader import load_edition  # noqa: E402
from edition.site import render_site  # noqa: E402

CHAPTER_ID = re.compile(r"\b(nb|en|claim|fc)([.:])ch(\d+)")


def timed_build(root: Path, search: bool = True) -> tuple[float, float, int]:
    """(load seconds, render seconds, sentences) of one full site build of the edition at `root`."""
    config = load_config(root)
    out = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        started = time.perf_counter()
        edition = load_edition(config)
        loaded = time.perf_counter()
        render_site(edition, config, out, search=search)
        done = time.perf_counter()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    sentences = len(edition.source.sentences()) + (len(edition.translation.sentences()) if edition.translation else 0)
    return loaded - started, done - loaded, sentences


def _between(text: str, start: str, end: str) -> tuple[str, str, str]:
    i = text.index(start) + len(start)
    j = text.rindex(end)  # the outermost: letters hold a body of their own
    return text[:i], text[i:j], text[j:]


def synthesise(factor: int, target: Path) -> Path:
    """Write an edition `factor` times as large as the real one into `target`."""
    config = load_config(ROOT)
    chapters = len(load_edition(config).source.sections)

    def renumber(chunk: str, copy: int) -> str:
        return CHAPTER_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}ch{copy * chapters + int(m.group(3)):05d}", chunk)

    def repeat(chunk: str) -> str:
        return "\n".join(renumber(chunk, k) for k in range(factor))

    for path in config.files():
        rel = path.relative_to(ROOT)
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path == config.source:
            head, body, tail = _between(text, "<body>", "</body>")
            text = head + repeat(body) + tail
            head, notes, tail = _between(text, '<div type="fact-checks">', "</div>\n    </back>")
            text = head + repeat(notes) + tail
        elif path == config.translation:
            head, body, tail = _between(text, "<body>", "</body>")
            text = head + repeat(body) + tail
        elif path == config.alignment:
            head, links, tail = _between(text, '<linkGrp type="alignment">', "</linkGrp>")
            front = "\n".join(line for line in links.splitlines() if "title" in line)
            rest = "\n".join(line for line in links.splitlines() if "title" not in line)
            text = head + front + "\n" + repeat(rest) + tail
        (target / rel).write_text(text, encoding="utf-8")
    shutil.copyfile(ROOT / "edition.toml", target / "edition.toml")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="1,10,100", help="sizes of the synthetic editions (default 1,10,100)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions for the real edition (default 5)")
    args = parser.parse_args()

    print("real edition, full site build without PDF (median of runs)")
    for search in (True, False):
        runs = [timed_build(ROOT, search) for _ in range(args.runs)]
        load = statistics.median(r[0] for r in runs)
        render = statistics.median(r[1] for r in runs)
        label = "with search index" if search else "without search index"
        print(f"  {label:22} load {load:6.3f} s  render {render:6.3f} s  total {load + render:6.3f} s"
              f"  ({runs[0][2]} sentences)")

    print("\nsynthetic editions (k times the real one)")
    print(f"  {'k':>4} {'sentences':>10} {'load s':>8} {'render s':>9} {'total s':>8} {'µs/sentence':>12}"
          f" {'without search s':>17}")
    for factor in (int(f) for f in args.factors.split(",")):
        scratch = Path(tempfile.mkdtemp(prefix=f"bench-x{factor}-"))
        try:
            root = synthesise(factor, scratch)
            load, render, sentences = timed_build(root, True)
            load2, render2, _ = timed_build(root, False)
            total = load + render
            print(f"  {factor:>4} {sentences:>10} {load:>8.2f} {render:>9.2f} {total:>8.2f}"
                  f" {total / sentences * 1e6:>12.0f} {load2 + render2:>17.2f}", flush=True)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
