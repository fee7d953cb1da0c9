"""Sphinx configuration for the blendsym documentation (MyST Markdown)."""

project = "blendsym"
author = "blendsym developers"
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["dollarmath", "amsmath"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_typehints = "description"
napoleon_use_ivar = True
suppress_warnings = ["myst.header"]
