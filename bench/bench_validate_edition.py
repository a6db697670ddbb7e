"""Benchmark: `edition validate` of the whole edition, cold, each run in a new Python process.

    python bench/bench_validate_edition.py [--runs 10] [--root DIR]

Target (issue 2): under 0.5 s on the project's 2-core machine. Prints min / median / max wall time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--root", type=Path, default=REPO)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "edition.cli", "validate", "--root", str(args.root)],
                              capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(f"edition validate failed: {proc.stderr}")
    print(f"edition validate, whole edition, cold, {args.runs} runs: "
          f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    print(f"last summary: {proc.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
