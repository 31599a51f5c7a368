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


def get_locale() -> str:
    return _current_locale.get() or normalize_locale(os.environ.get("FENGHUO_LANG"))


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


def gettext(message: str, /, **params: object) -> str:
    """Translate ``message`` into the current locale and fill ``%(name)s`` params."""
    text = translations(get_locale()).gettext(message)
    return text % params if params else text


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


def lazy_gettext(message: str, /, **params: object) -> LazyString:
    return LazyString(message, **params)
