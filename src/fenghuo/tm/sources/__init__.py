"""Register sources: one folder per office format, each turning bytes into RegisterRecords.

``iter_source(path)`` reads files, folders and zips of any supported format.
"""

from fenghuo.tm.sources.detect import SOURCE_FORMATS, count_items, iter_source, sniff

__all__ = ["SOURCE_FORMATS", "count_items", "iter_source", "sniff"]
