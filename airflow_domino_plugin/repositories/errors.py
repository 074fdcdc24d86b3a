"""Why an installation was refused; the message is shown to the user as is."""

from __future__ import annotations


class InstallError(Exception):
    """A repository version cannot be installed; nothing was left behind."""

    def __init__(self, message: str, problems: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
