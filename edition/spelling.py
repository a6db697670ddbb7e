"""`edition spellcheck`: the corrected reading against Debian's Norwegian Bokmål hunspell dictionary.

Words inside names and foreign-language phrases are skipped; words the editors decided are correct are
listed, with a reason, in the allow-list file named by edition.toml (`spelling_allowlist`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import EditionError
from .model import Choice, Edition, Inline, Location, Name, Sentence, Span, Supplied, Text, Seg, Date

DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"))
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÈèÊêÔôÖöÄäÜüÓóÀà]+(?:[-'’][A-Za-zÆØÅæøåÉéÈèÊêÔôÖöÄäÜüÓóÀà]+)*")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# Abbreviations with full stops are not words to look up: bl.a., f.eks., dvs., m.m., osv.
_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Za-zæøå]{1,4}\.){1,3}(?=[\s,;:)\"]|$)")


@dataclass(frozen=True)
class Unknown:
    """A word the dictionary does not know, where it stands, and what hunspell suggests."""

    word: str
    sentence: str
    loc: Location
    suggestions: tuple[str, ...]


def _dictionary_files(lang: str) -> tuple[Path, Path]:
    name = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_US"}.get(lang, lang)
    for folder in DICTIONARY_DIRS:
        dic, aff = folder / f"{name}.dic", folder / f"{name}.aff"
        if dic.is_file() and aff.is_file():
            return dic, aff
    raise EditionError(f"no hunspell dictionary for {lang!r} ({name}.dic/.aff)",
                       hint="install Debian's hunspell-no (apt-get install hunspell-no)")


@lru_cache(maxsize=4)
def _hunspell(lang: str):
    try:
        import hunspell  # pyhunspell, the Python binding of libhunspell
    except ImportError:
        raise EditionError("the Python binding of hunspell is not installed",
                           hint="pip install 'edition[spell]' (needs Debian's libhunspell-dev)") from None
    dic, aff = _dictionary_files(lang)
    return hunspell.HunSpell(str(dic), str(aff))


def read_allowlist(path: Path | None) -> dict[str, str]:
    """word → reason, from a TSV file (`word<TAB>reason`, # comments)."""
    if path is None or not path.is_file():
        return {}
    allowed = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _, reason = line.partition("\t")
        if not reason.strip():
            raise EditionError(f"allow-list entry {word.strip()!r} has no reason", str(path), number, 1,
                               hint="write word<TAB>reason")
        allowed[word.strip()] = reason.strip()
    return allowed


def checked_words(sentence: Sentence) -> list[str]:
    """The words of the corrected reading that the dictionary should know (no names, no foreign words)."""
    parts: list[str] = []

    def walk(nodes: list[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                parts.append(node.text)
            elif isinstance(node, Name) or (isinstance(node, Span) and node.kind in ("foreign", "name", "title")):
                parts.append(" ")
            elif isinstance(node, Choice):
                walk(node.corrected)
            elif isinstance(node, (Supplied, Seg, Date, Span)):
                walk(node.content)

    walk(sentence.content)
    words = []
    text = _ABBREVIATION.sub(lambda m: " " if _is_abbreviation(m.group(0)) else m.group(0), "".join(parts))
    for m in _WORD.finditer(text):
        word = m.group(0).strip("-'’")
        if len(word) < 2 or _ROMAN.match(word):
            continue
        words.append(word)
    return words


ABBREVIATIONS = {"bl.a.", "dvs.", "f.eks.", "ca.", "jf.", "mht.", "osv.", "m.m.", "pga.", "etc.", "o.l.", "evt.",
                 "nr.", "kl.", "st.", "mill.", "mrd.", "ev.", "vs."}


def _is_abbreviation(token: str) -> bool:
    return token.lower() in ABBREVIATIONS


def _known(checker, word: str) -> bool:
    if checker.spell(word) or checker.spell(word.lower()):
        return True
    if word.isupper() and checker.spell(word.capitalize()):
        return True
    if "-" in word:  # compounds written with a hyphen: each part known is enough
        return all(_known(checker, part) for part in word.split("-") if part)
    return False


def spellcheck(edition: Edition, allowlist: dict[str, str]) -> list[Unknown]:
    """Every unknown word of the source's corrected reading that is not on the allow-list."""
    checker = _hunspell(edition.source_lang)
    unknown = []
    allowed = {w.lower() for w in allowlist}
    for sentence in edition.source.sentences():
        for word in checked_words(sentence):
            if word.lower() in allowed or _known(checker, word):
                continue
            suggestions = tuple(checker.suggest(word)[:3])
            unknown.append(Unknown(word, sentence.id, sentence.loc, suggestions))
    return unknown
