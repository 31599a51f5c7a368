"""Translation of user-facing strings (zh-CN and English) with Babel catalogues.

Why a context variable: the web request, the CLI and background jobs each set the locale
once (from the user's stored preference, ``Accept-Language`` or ``FENGHUO_LANG``) and every
``_()`` below them translates without the locale being threaded through every call.

Mark strings with ``_("...")`` (translated now) or ``lazy_gettext("...")`` (translated when
rendered, for module-level constants). ``pybabel extract`` finds both.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "zh_CN")
DEFAULT_LOCALE = "en"

_current_locale: ContextVar[str] = ContextVar("fenghuo_locale", default="")


def normalize_locale(value: str | None) -> str:
    """Map 'zh', 'zh-CN', 'zh_Hans_CN', 'en-GB' … onto a supported locale."""
    if not value:
        return DEFAULT_LOCALE
    v = value.replace("-", "_").lower()
    if v.startswith("zh"):
        return "zh_CN"
    return "en"


@lru_cache(maxsize=4)
def _env_locale(raw: str | None) -> str:
    return normalize_locale(raw)


def get_locale() -> str:
    # Hot path (every reason of every assessed pair): the context first, the environment only as
    # the fallback, and its normalization cached.
    return _current_locale.get() or _env_locale(os.environ.get("FENGHUO_LANG"))


def set_locale(locale: str) -> object:
    """Set the locale for the current context; returns a token for :func:`reset_locale`."""
    return _current_locale.set(normalize_locale(locale))


def reset_locale(token: object) -> None:
    _current_locale.reset(token)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


class Message(str):
    """A translated string that remembers its msgid and params.

    Why: explanations computed once and stored (an alert's reasons, its remedy) must show in
    the language of whoever reads them later, not of whoever ran the watch. ``to_json`` keeps
    what :func:`render_json` needs to translate the text again in the reader's locale.
    """

    msgid: str
    params: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return {"msgid": self.msgid, "params": {k: _param_json(v) for k, v in self.params.items()}}


def _param_json(value: object) -> object:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, LazyString):
        return {"msgid": value.message, "params": {k: _param_json(v) for k, v in value.params.items()}}
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


def message_json(value: object) -> dict[str, object] | None:
    """The re-translatable form of ``value`` when it is a :class:`Message`, else None."""
    return value.to_json() if isinstance(value, Message) else None


def render_json(data: object, fallback: str = "") -> str:
    """Translate a stored :meth:`Message.to_json` again, in the current locale."""
    if not isinstance(data, dict) or "msgid" not in data:
        return fallback
    params = {k: render_json(v, "") if isinstance(v, dict) and "msgid" in v else v
              for k, v in (data.get("params") or {}).items()}
    try:
        return str(gettext(str(data["msgid"]), **params))
    except (KeyError, TypeError, ValueError):  # a catalogue with a broken placeholder
        return fallback


def gettext(message: str, /, **params: object) -> str:
    """Translate ``message`` into the current locale and fill ``%(name)s`` params."""
    text = translations(get_locale()).gettext(message)
    out = Message(text % params if params else text)
    out.msgid = message
    out.params = params
    return out


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    text = translations(get_locale()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


_ = gettext


class LazyString:
    """A string translated when it is turned into ``str`` (for module-level constants)."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return gettext(self.message, **self.params)

    def __repr__(self) -> str:
        return f"LazyString({self.message!r})"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction only; it is translated where it is shown (``_(value)``)."""
    return message


def lazy_gettext(message: str, /, **params: object) -> LazyString:
    return LazyString(message, **params)
