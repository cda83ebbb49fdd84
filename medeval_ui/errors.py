"""Errors a user can cause and act on.

The library raises these; the CLI prints the message on one line and exits non-zero,
the web layer shows it next to the action. Anything else is a bug and may traceback.
"""

from __future__ import annotations


class MedevalError(Exception):
    """A mistake the user can fix; ``str(err)`` is the whole message they will see."""


class ConfigError(MedevalError):
    """A setting is missing, malformed or unsafe."""


class InputFileError(MedevalError):
    """A file being imported is unreadable or has a bad row.

    The message always names the file and, where one applies, the row (1-based, as a
    spreadsheet or editor shows it: "row" for tables, "line" for JSON Lines), the field,
    and what was expected.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        field: str | None = None,
        unit: str = "row",
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.detail = message
        where = file
        if row is not None:
            where += f", {unit} {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


class ImageError(MedevalError):
    """An image is unreadable, truncated, too large or of an unsupported kind."""


class NotFoundError(MedevalError):
    """A study, user, case or output named by the user does not exist."""


class ConflictError(MedevalError):
    """The action would contradict what is already stored (e.g. same id, other content)."""


class PermissionDeniedError(MedevalError):
    """The current user's role does not allow the action."""
