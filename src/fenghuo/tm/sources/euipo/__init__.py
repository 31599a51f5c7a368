"""EUIPO trade mark XML (EM-TM-TradeMark)."""

from fenghuo.tm.sources.euipo.parse import FORMAT, NAMESPACE, iter_records

__all__ = ["FORMAT", "NAMESPACE", "iter_records"]
