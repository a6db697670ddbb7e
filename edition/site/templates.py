"""The Jinja2 environment of the site: autoescaping everywhere, edition templates before the defaults."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..config import Config
from ..dates import parse_iso
from ..model import Choice, Date, Name, Seg, Span, Supplied, Text
from .apparatus import date_label, date_title, format_iso
from .registers import language_name

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "site"
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")
_KINDS = {Text: "text", Choice: "choice", Supplied: "supplied", Name: "name", Date: "date", Seg: "seg", Span: "span"}


def template_folders(config: Config) -> list[Path]:
    """Where templates are looked up, first match wins: the edition's own folder, then the defaults."""
    folders = []
    if config.templates is not None:
        own = config.templates / "site" if (config.templates / "site").is_dir() else config.templates
        folders.append(own)
    folders.append(DEFAULT_TEMPLATES)
    return folders


def make_environment(config: Config) -> Environment:
    """A Jinja2 environment that escapes every value, whatever the template's file name."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in template_folders(config)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(kind=node_kind, linkify=linkify, iso_date=format_iso, date_label=date_label,
                       date_title=date_title, safe_url=safe_url, class_name=class_name, thousands=thousands)
    env.filters.update(language_name=language_name)
    env.tests.update(iso=is_iso, wikidata=lambda v: bool(re.fullmatch(r"Q[1-9][0-9]*", str(v or ""))))
    return env


def node_kind(node) -> str:
    """The kind of a phrase-level node, as templates test it: text, choice, supplied, name, date, seg, span."""
    return _KINDS.get(type(node), "span")


def is_iso(value) -> bool:
    return bool(value) and parse_iso(str(value)) is not None


def class_name(value) -> str:
    """A string made safe to use as (part of) a CSS class name."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value or "")).strip("-") or "x"


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def safe_url(value: str | None) -> str | None:
    """The URL if it is an http(s) address, else None: no javascript:, data: or other schemes."""
    if value and re.match(r"^https?://[^\s]+$", value.strip(), re.IGNORECASE):
        return value.strip()
    return None


def linkify(text: str) -> Markup:
    """Escape text and turn the http(s) addresses in it into links."""
    out, last = [], 0
    for match in _URL.finditer(text or ""):
        out.append(escape(text[last:match.start()]))
        url = match.group(0)
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)
