"""Write a synthetic TEI corpus (valid against tei_all) of a given size, so anyone can reproduce
the large-corpus benchmark without downloading one.

    python bench/make_corpus.py OUT_FOLDER --files 500 --megabytes 300
    python bench/make_corpus.py OUT_FOLDER --style adl    # marked up like the ADL corpus

Two styles: `prose` (paragraphs with a few names, dates and stanzas; few attributes) and `adl`,
modelled on kb-dk/public-adl-text-sources (texts/aakjaer01val.xml read through the search index):
an `xml:id` on every element, a `listBibl` of the works in the header, one `div decls="#…"` per
poem with an `emph` head, `lg`/`l` verse, `pb` with `facs` every page, glossary `note`s full of
`hi rend="italics"`, and a `trailer` with the date. The ADL style has about three times as many
elements and attributes per megabyte.
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


class _Ids:
    """xml:id values like ADL's generated ones (idm139725301586928, …)."""

    def __init__(self, start: int):
        self.n = start

    def __call__(self) -> str:
        self.n += 1
        return f"idm{self.n}"


def _line(rng: random.Random, new_id: _Ids) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 9))]
    if rng.random() < 0.08:
        k = rng.randrange(len(words))
        words[k] = f'\n                           <hi rend="italics" xml:id="{new_id()}">{words[k]}</hi>\n'
    return f'            <l xml:id="{new_id()}">{" ".join(words).capitalize()}</l>\n'


def adl_poem(rng: random.Random, work: int, new_id: _Ids, page: list[int]) -> str:
    """One poem as ADL encodes it."""
    parts = [f'        <div xml:id="workid{work}" decls="#biblid{work}">\n'
             f'          <head xml:id="{new_id()}"><emph xml:id="{new_id()}">{rng.choice(WORDS).upper()} '
             f'{rng.choice(WORDS).upper()}</emph>\n.</head>\n']
    for _ in range(rng.randint(2, 9)):
        parts.append(f'          <lg xml:id="{new_id()}">\n')
        parts += [_line(rng, new_id) for _ in range(rng.choice((2, 4, 4, 6)))]
        parts.append("          </lg>\n")
        if rng.random() < 0.2:
            page[0] += 1
            parts.append(f'          <pb n="{page[0]}" xml:id="s{page[0]}" facs="adl/bench/bench{page[0]:04d}"/>\n')
    if rng.random() < 0.15:
        glosses = "".join(f'\n                        <hi rend="italics" xml:id="{new_id()}">{rng.choice(WORDS)}</hi>\n, '
                          f'{rng.choice(WORDS)} {rng.choice(WORDS)};' for _ in range(rng.randint(3, 10)))
        parts.append(f'          <note anchored="true" xml:id="{new_id()}">{glosses}</note>\n')
    parts.append(f'          <trailer xml:id="{new_id()}">\n            <date xml:id="{new_id()}">'
                 f'{rng.randint(1, 28)}/{rng.randint(1, 12)} 19{rng.randint(0, 30):02d}.</date>\n'
                 f'          </trailer>\n        </div>\n')
    return "".join(parts)


def adl_file(rng: random.Random, n: int, size: int) -> str:
    """A whole ADL-style file of about `size` characters."""
    new_id = _Ids(139725301586928 - n * 10_000_000)
    poems, works, length, page = [], [], 0, [0]
    while length < size:
        work = 55565 + len(works) * 97
        poem = adl_poem(rng, work, new_id, page)
        poems.append(poem)
        works.append(work)
        length += len(poem)
    bibls = "".join(f'<bibl xml:id="biblid{w}"><title xml:id="{new_id()}">{rng.choice(WORDS).upper()}</title></bibl>'
                    for w in works)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{new_id()}">\n'
            f'  <teiHeader xml:id="{new_id()}">\n    <fileDesc xml:id="{new_id()}">\n'
            f'      <titleStmt xml:id="{new_id()}">\n        <title xml:id="{new_id()}">SAMLEDE VÆRKER {n}</title>\n'
            f'        <author xml:id="{new_id()}">FORFATTER {n}</author>\n      </titleStmt>\n'
            f'      <publicationStmt xml:id="{new_id()}">\n        <publisher xml:id="{new_id()}">edition bench</publisher>\n'
            f'        <idno xml:id="{new_id()}">{n:09d}:01</idno>\n      </publicationStmt>\n'
            f'      <sourceDesc xml:id="{new_id()}">\n\t<listBibl xml:id="{new_id()}">\n\t  {bibls}\n\t</listBibl>\n'
            f'      </sourceDesc>\n    </fileDesc>\n  </teiHeader>\n'
            f'  <text xml:id="{new_id()}">\n    <body xml:id="{new_id()}">\n      <div xml:id="{new_id()}">\n'
            + "".join(poems) + "      </div>\n    </body>\n  </text>\n</TEI>\n")


def write_corpus(folder: Path, files: int, megabytes: float, seed: int = 1, style: str = "prose") -> list[Path]:
    """`files` TEI files of about `megabytes` in all (sizes vary 1:20 like a real corpus), in the
    `prose` or the `adl` style (see the module docstring)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    weights = [rng.uniform(1, 20) for _ in range(files)]
    total = megabytes * 1e6
    written = []
    for n, w in enumerate(weights):
        size = int(total * w / sum(weights))
        path = folder / f"text{n:04d}.xml"
        if style == "adl":
            path.write_text(adl_file(rng, n, size), encoding="utf-8")
            written.append(path)
            continue
        body, i, d = [], 0, 0
        while sum(len(b) for b in body) < size:
            text, i = division(rng, d, i, min(200_000, max(size // 4, 2000)))
            body.append(text)
            d += 1
        path.write_text(HEADER.format(n=n, year=n % 100) + "".join(body) + FOOTER, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--megabytes", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=("prose", "adl"), default="prose")
    args = parser.parse_args()
    paths = write_corpus(args.folder, args.files, args.megabytes, args.seed, args.style)
    print(f"wrote {len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.folder}")


if __name__ == "__main__":
    main()
