"""Israel Patent Office trademark XML (TMBRAND)."""

from fenghuo.tm.sources.il.parse import FORMAT, iter_records

__all__ = ["FORMAT", "iter_records"]
