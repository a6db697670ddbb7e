"""edition: bilingual scholarly editions in TEI P5 — validate, align, build, export."""

import sys

__version__ = "0.1.0"

# lxml imports rnc2rng (and with it urllib, http and email: about 30 ms) when lxml.etree is first
# imported, for a compact-syntax reader edition does not use: `rng.schemas` converts .rnc files
# with rnc2rng itself, importing it only then. Kept from lxml's import here, and only if lxml has
# not been imported yet; the entry is removed again once lxml is in.
if "lxml.etree" not in sys.modules and "rnc2rng" not in sys.modules:
    sys.modules["rnc2rng"] = None  # type: ignore[assignment]  # lxml's `import rnc2rng` then fails
    try:
        import lxml.etree  # noqa: F401
    finally:
        if sys.modules.get("rnc2rng", 0) is None:
            del sys.modules["rnc2rng"]
