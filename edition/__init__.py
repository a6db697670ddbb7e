"""edition: bilingual scholarly editions in TEI P5 — validate, align, build, export."""

__version__ = "0.1.0"
