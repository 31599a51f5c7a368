"""USPTO daily trademark application XML."""

from fenghuo.tm.sources.uspto.fetch import FetchError, daily_file_name, fetch_daily
from fenghuo.tm.sources.uspto.parse import FORMAT, iter_records, normalize_status_code

__all__ = ["FORMAT", "FetchError", "daily_file_name", "fetch_daily", "iter_records", "normalize_status_code"]
