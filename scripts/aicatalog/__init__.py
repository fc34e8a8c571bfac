"""The Open Source AI Catalog's tools: load, validate, render and check the catalog."""

#: The one place the version is written (pyproject reads it): cheaper to import than to look
#: up in installed metadata, which costs a link check tens of milliseconds at start-up.
__version__ = "0.1.0"
