"""WIPO ST.66 trademark XML."""

from fenghuo.tm.sources.st66.parse import FORMAT, iter_records, trademark_to_record

__all__ = ["FORMAT", "iter_records", "trademark_to_record"]
