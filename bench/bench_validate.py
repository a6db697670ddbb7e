"""`edition validate` against jing, side by side on the same files in one run, with ratios.

    python bench/bench_validate.py                      # small file, dozens of files, 300 MB synthetic
                                                        # (prose style and ADL style, see make_corpus.py)
    python bench/bench_validate.py --megabytes 50       # a smaller large case
    python bench/bench_validate.py --corpus DIR         # also a real corpus (e.g. public-adl-text-sources)

Needs jing (Debian package) and tei_all.rng (../shared/tei/tei_all.rng or EDITION_TEI_ALL). Each
case is run once cold (fresh cache folder for the specialised schemas); edition runs with its
embedded Schematron on, jing checks RelaxNG only. Python may write its bytecode files (as a pip
install does), even where PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import write_corpus  # noqa: E402

REPO = HERE.parent
TEI_ALL = Path(os.environ.get("EDITION_TEI_ALL", REPO.parent / "shared" / "tei" / "tei_all.rng"))


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env)
    return time.perf_counter() - start, proc.returncode


def case(name: str, files: list[Path], extra: list[str]) -> None:
    cache = tempfile.mkdtemp(prefix="edition-bench-")
    env = dict(os.environ, EDITION_CACHE_DIR=cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed by pip: modules compiled once, not at every start
    ours, our_rc = timed([sys.executable, "-m", "edition.cli", "validate", "--schema", str(TEI_ALL), *extra,
                          *map(str, files)], env)
    theirs, their_rc = timed(["jing", str(TEI_ALL), *map(str, files)])
    shutil.rmtree(cache, ignore_errors=True)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"{name:34} {len(files):5} files {size:9.1f} MB   edition {ours:7.2f} s (exit {our_rc})   "
          f"jing {theirs:7.2f} s (exit {their_rc})   jing/edition {theirs / ours:5.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=300)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--corpus", type=Path, help="a real corpus folder to time as well")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="edition-bench-corpus-"))
    try:
        small = [REPO / "tests" / "fixtures" / "validate" / "valid.xml"]
        case("one small file", small, [])
        case("one 413 KB edition file", [REPO / "tei" / "sovjetunionens-historie.xml"], [])
        dozens = write_corpus(work / "dozens", 40, 4)
        case("dozens of files (40, 4 MB)", dozens, [])
        big = write_corpus(work / "big", args.files, args.megabytes)
        case(f"large corpus ({args.files} files)", big, [])
        case(f"large corpus, RelaxNG only", big, ["--no-embedded-schematron"])
        shutil.rmtree(work / "big", ignore_errors=True)
        adl = write_corpus(work / "adl", args.files, args.megabytes, style="adl")
        case(f"ADL-style corpus ({args.files} files)", adl, [])
        case(f"ADL-style corpus, RelaxNG only", adl, ["--no-embedded-schematron"])
        if args.corpus:
            real = sorted(args.corpus.rglob("*.xml"))
            case(f"real corpus {args.corpus.name}", real, [])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
