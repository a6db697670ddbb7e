"""Write a synthetic TEI corpus (valid against tei_all) of a given size, so anyone can reproduce
the large-corpus benchmark without downloading one.

    python bench/make_corpus.py OUT_FOLDER --files 500 --megabytes 300
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="da">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Synthetic text {n}</title><author>Author {n}</author></titleStmt>
      <publicationStmt><publisher>edition bench</publisher><date when="2024">2024</date></publicationStmt>
      <sourceDesc><bibl><title>Source {n}</title><date when="18{year:02d}">18{year:02d}</date></bibl></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
"""
FOOTER = """    </body>
  </text>
</TEI>
"""
WORDS = ("og i det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde "
         "ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne").split()


def paragraph(rng: random.Random, i: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(40, 120))]
    for _ in range(rng.randint(0, 3)):
        k = rng.randrange(len(words))
        words[k] = rng.choice([f'<persName ref="#p{k}">{words[k]}</persName>', f'<hi rend="italic">{words[k]}</hi>',
                               f'<placeName>{words[k]}</placeName>', f'<date when="18{k % 100:02d}">{words[k]}</date>',
                               f'<lb/>{words[k]}', f'<pb n="{i}"/>{words[k]}'])
    return f'        <p xml:id="p{i}">{" ".join(words)}</p>\n'


def division(rng: random.Random, d: int, start: int, size: int) -> tuple[str, int]:
    parts = [f'      <div type="chapter" xml:id="d{d}">\n        <head>Kapitel {d}</head>\n']
    i, length = start, 0
    while length < size:
        chunk = paragraph(rng, i) if i % 17 else (
            f'        <lg type="stanza"><l>{" ".join(rng.choice(WORDS) for _ in range(6))}</l>'
            f'<l>{" ".join(rng.choice(WORDS) for _ in range(6))}</l></lg>\n'
            f'        <note place="foot" xml:id="n{i}">{" ".join(rng.choice(WORDS) for _ in range(12))}</note>\n')
        parts.append(chunk)
        length += len(chunk)
        i += 1
    parts.append("      </div>\n")
    return "".join(parts), i


def write_corpus(folder: Path, files: int, megabytes: float, seed: int = 1) -> list[Path]:
    """`files` TEI files of about `megabytes` in all (sizes vary 1:20 like a real corpus)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    weights = [rng.uniform(1, 20) for _ in range(files)]
    total = megabytes * 1e6
    written = []
    for n, w in enumerate(weights):
        size = int(total * w / sum(weights))
        body, i, d = [], 0, 0
        while sum(len(b) for b in body) < size:
            text, i = division(rng, d, i, min(200_000, max(size // 4, 2000)))
            body.append(text)
            d += 1
        path = folder / f"text{n:04d}.xml"
        path.write_text(HEADER.format(n=n, year=n % 100) + "".join(body) + FOOTER, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--megabytes", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = write_corpus(args.folder, args.files, args.megabytes, args.seed)
    print(f"wrote {len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.folder}")


if __name__ == "__main__":
    main()
