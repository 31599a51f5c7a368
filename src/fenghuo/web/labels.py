"""Moved: the words for stored codes live in :mod:`fenghuo.core.labels` (one registry for pages,
PDFs, exports, e-mails and notifications). Templates call ``label(category, code)``; this module
only re-exports it for code that imported the old location."""

from __future__ import annotations

from fenghuo.core.labels import choices, label

__all__ = ["choices", "label"]
