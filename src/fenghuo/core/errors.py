"""Domain errors shared by every module; the web layer maps them onto pages and problem JSON."""

from __future__ import annotations


class FenghuoError(Exception):
    """Base of errors that carry a user-facing message."""


class NotFound(FenghuoError):
    """The object does not exist — or belongs to another organisation (same answer, on purpose)."""


class PermissionDenied(FenghuoError):
    """The caller may see the object but not do this to it."""


class Conflict(FenghuoError):
    """The request clashes with existing data (duplicate name, state transition not allowed)."""


class ValidationFailed(FenghuoError):
    """Bad input: names the record and the field so the user can find and fix it."""

    def __init__(self, message: str, *, field: str | None = None, record: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.record = record

    def as_problem_item(self) -> dict[str, str | None]:
        return {"record": self.record, "field": self.field, "message": self.message}
