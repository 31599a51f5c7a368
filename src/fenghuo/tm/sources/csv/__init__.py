"""The register CSV format."""

from fenghuo.tm.sources.csv.parse import COLUMNS, FORMAT, iter_records, looks_like_register_csv

__all__ = ["COLUMNS", "FORMAT", "iter_records", "looks_like_register_csv"]
