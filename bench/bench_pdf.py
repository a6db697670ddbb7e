"""Benchmark: the whole PDF edition, cold, each run in a new Python process.

    python bench/bench_pdf.py [--runs 5] [--root DIR] [--facing] [--paper a4|us-letter]

Target (issue 6): the whole PDF in under 3 s on the project's 2-core machine. A run is the full
`edition build --pdf-only` path: load the TEI into the model, turn it into JSON data, typeset it
with Typst (PDF/A-2a + PDF/UA-1, fonts embedded) and write the file. Each run is a new process
because Typst keeps its layout cache inside a process, so a second build there would be warm.
Prints min / median / max wall time, the median CPU time (which other jobs on a busy machine do not
inflate) and the per-phase split of the last run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = 3.0

ONE_RUN = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
cpu_start = time.process_time()
from edition.config import load_config
from edition.loader import load_edition
from edition.pdf import render_pdf
config = load_config(Path(sys.argv[1]))
edition = load_edition(config)
loaded = time.perf_counter()
render_pdf(edition, config, Path(sys.argv[2]), paper=sys.argv[3], facing=sys.argv[4] == "1")
done = time.perf_counter()
print(json.dumps({"total": done - start, "load": loaded - start, "typeset": done - loaded,
                  "cpu": time.process_time() - cpu_start}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--paper", choices=["a4", "us-letter"], default="a4")
    parser.add_argument("--facing", action="store_true")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "edition.pdf"
        for _ in range(args.runs):
            proc = subprocess.run([sys.executable, "-c", ONE_RUN, str(args.root), str(pdf), args.paper,
                                   "1" if args.facing else "0"], capture_output=True, text=True, cwd=REPO)
            if proc.returncode != 0:
                sys.exit(f"the PDF build failed:\n{proc.stderr}")
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        size = pdf.stat().st_size
        pages = _pages(pdf)
    totals = [r["total"] for r in runs]
    mode = f"{args.paper}{', facing pages' if args.facing else ''}"
    print(f"PDF edition ({mode}), {pages} pages, {size / 1024:.0f} KiB, cold, {args.runs} runs: "
          f"min {min(totals):.2f} s, median {statistics.median(totals):.2f} s, max {max(totals):.2f} s")
    cpus = [r["cpu"] for r in runs]
    print(f"CPU time (all threads; independent of other jobs on the machine): median {statistics.median(cpus):.2f} s")
    last = runs[-1]
    print(f"last run: load {last['load']:.2f} s (imports and TEI), typeset and write {last['typeset']:.2f} s")
    verdict = "within" if statistics.median(totals) < TARGET else "OVER"
    print(f"target {TARGET:.0f} s: median {verdict}")


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


if __name__ == "__main__":
    main()
