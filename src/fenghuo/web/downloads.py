"""File downloads: one way to name a file in ``Content-Disposition`` and to send it.

Why one helper: HTTP headers are Latin-1, so a document named "证据.txt" written straight
into ``filename="…"`` raised ``UnicodeEncodeError`` (a 500), and a name with a quote or a
line break could break the header. RFC 6266 / RFC 5987 give the answer used here: an ASCII
``filename`` for old clients plus ``filename*=UTF-8''…`` (percent-encoded) which every current
browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from fastapi.responses import Response

_UNSAFE_ASCII = re.compile(r'[^A-Za-z0-9._ ()+,=@-]+')


def _ascii_fallback(filename: str) -> str:
    """A plain-ASCII stand-in: accents folded, everything else (CJK, quotes, controls) replaced."""

    def clean(part: str) -> str:
        folded = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
        return _UNSAFE_ASCII.sub("_", folded).strip(" ._")

    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem, ext = clean(stem)[:150], clean(ext)[:10]
    if not stem.strip("_"):
        stem = "download"  # nothing readable left (a Chinese name): keep the extension so the file opens
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, fallback: str | None = None, inline: bool = False) -> str:
    """The ``Content-Disposition`` value for ``filename`` (any Unicode), safe for the header.

    ``fallback`` replaces the ASCII name shown by clients that ignore ``filename*``.
    """
    kind = "inline" if inline else "attachment"
    name = filename.replace("\r", "").replace("\n", "") or "download"
    ascii_name = _ascii_fallback(fallback or name)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(data: bytes | str, filename: str, media_type: str, *, fallback: str | None = None,
                      untrusted: bool = False) -> Response:
    """``data`` as an attachment named ``filename``.

    ``untrusted``: the bytes were uploaded by a user (case documents, evidence); they are never
    sniffed or rendered as a page of this site.
    """
    headers = {"Content-Disposition": content_disposition(filename, fallback=fallback),
               "X-Content-Type-Options": "nosniff"}
    if untrusted:
        headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return Response(data, media_type=media_type, headers=headers)
