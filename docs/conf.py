"""Sphinx configuration: MyST Markdown pages, the CLI reference generated from the argument parser."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package documents itself from this checkout, installed or not

from pipeline import __version__  # noqa: E402

project = "Gujarati localisation pipeline"
author = "the pipeline's contributors"
copyright = "2026, the pipeline's contributors"
version = release = __version__

extensions = ["myst_parser", "sphinxarg.ext"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "**/_*.md"]
myst_enable_extensions = ["deflist", "colon_fence"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"{project} {release}"
html_theme_options = {"page_width": "1180px", "sidebar_width": "260px"}
html_static_path = ["_static"]  # custom.css, which alabaster loads after its own

man_pages = [("reference/cli", "pipeline", "Gujarati articles in, gettext catalogues for review out", [author], 1)]


def plain_links_in_man_pages(app, doctree, docname):
    """A man page cannot follow a link to another page, and Sphinx's man writer prints one as
    `text <>`: there, keep the link's text alone (in italics)."""
    if app.builder.name != "man":
        return
    from docutils import nodes

    for ref in list(doctree.findall(nodes.reference)):
        if not ref.get("refuri", "").startswith(("http:", "https:", "mailto:")):
            ref.replace_self(nodes.emphasis("", "", *ref.children))


def setup(app):
    app.connect("doctree-resolved", plain_links_in_man_pages)
