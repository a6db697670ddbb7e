"""The parallel web edition: a static site rendered from the model with Jinja2 templates.

`render_site(edition, config, folder)` writes every page, the styles and scripts, the TEI downloads and
the pagefind search index into `folder`. See docs/site.md.
"""

from .render import render_site

__all__ = ["render_site"]
