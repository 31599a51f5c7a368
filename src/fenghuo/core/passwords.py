"""The password policy: length, no blank or trivial passwords, none of the commonly used ones.

Why these rules: the probe set "1234567890", ten spaces and a 200,000-character string as
passwords. Length alone does not make a password strong, so a password must also not be
found in (or guessed quickly from) the common-password lists that ``zxcvbn`` ships — the
same lists attackers try first — nor be built from the user's own e-mail or name. The upper
bound keeps argon2 (and zxcvbn) from being handed megabytes to chew on.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
#: zxcvbn's score (0–4): 3 means "safely unguessable" (about 10^8 guesses and more).
MIN_ZXCVBN_SCORE = 3


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _user_words(user_inputs: Iterable[str]) -> list[str]:
    words: list[str] = []
    for value in user_inputs:
        value = (value or "").strip().lower()
        if value:
            words.append(value)
            if "@" in value:
                words.append(value.split("@")[0])
            words.extend(part for part in value.replace("@", " ").replace(".", " ").split() if len(part) >= 3)
    return words


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why ``password`` is refused (a translated sentence), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("the password must have at least %(n)s characters", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("the password must have at most %(n)s characters", n=MAX_PASSWORD_LENGTH)
    if not password.strip():
        return _("the password cannot consist of spaces only")
    words = _user_words(user_inputs)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(password)) < 4 or any(w == lowered for w in words):
        return _("this password is too common or too easy to guess: use a longer phrase of unrelated words")
    from zxcvbn import zxcvbn

    result = zxcvbn(password, user_inputs=words, max_length=MAX_PASSWORD_LENGTH)
    if int(result["score"]) < MIN_ZXCVBN_SCORE:
        return _("this password is too common or too easy to guess: use a longer phrase of unrelated words")
    return None


def validate_password(password: str, user_inputs: Iterable[str] = (), *, field: str = "password") -> None:
    """Raise :class:`ValidationFailed` (naming ``field``) when the policy refuses ``password``."""
    problem = password_problem(password, user_inputs)
    if problem is not None:
        raise ValidationFailed(problem, field=field)
