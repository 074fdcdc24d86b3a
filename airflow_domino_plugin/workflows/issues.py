"""Validation issues and the two path notations they carry.

Every check in this package reports problems as :class:`ValidationIssue` so the API can answer
one uniform list of ``{path, pointer, message, code}``: ``path`` is the dotted form people read
(``tasks[1].inputs.url``), ``pointer`` the RFC 6901 form programs use (``/tasks/1/inputs/url``)
to find the offending widget in the editor.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

Loc = tuple[str | int, ...]
"""A location inside a JSON document: object keys and list indexes, outermost first."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def format_path(loc: Sequence[str | int]) -> str:
    """Render ``("tasks", 1, "inputs", "url")`` as ``tasks[1].inputs.url``.

    Keys that are not identifiers are quoted (``secrets["my-key"]``) so the path stays
    unambiguous; the document root is the empty string.
    """
    out: list[str] = []
    for part in loc:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


def json_pointer(loc: Sequence[str | int]) -> str:
    """Render a location as an RFC 6901 JSON pointer (``/tasks/1/inputs/url``)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def quote_list(names: Iterable[object], *, limit: int = 12) -> str:
    """``a``, ``b`` and ``c`` as "`a`, `b`, `c`" (shortened past ``limit``) for messages."""
    items = [f"`{name}`" for name in names]
    if not items:
        return "(none)"
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return ", ".join(items)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A " Did you mean `x`?" suffix when a close candidate exists, else ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


class ValidationIssue(BaseModel):
    """One problem found in a document, located precisely enough for the editor to highlight it."""

    model_config = ConfigDict(frozen=True)

    path: str = Field(description="Dotted JSON path, e.g. `tasks[1].inputs.url`; empty for the root.")
    pointer: str = Field(description="The same location as an RFC 6901 JSON pointer, e.g. `/tasks/1/inputs/url`.")
    message: str = Field(description="Plain-English explanation naming what was expected.")
    code: str = Field(description="Stable machine-readable issue code, e.g. `unknown_output`.")

    @classmethod
    def at(cls, loc: Sequence[str | int], message: str, code: str) -> ValidationIssue:
        """Build an issue from a location tuple, deriving both path notations."""
        return cls(path=format_path(loc), pointer=json_pointer(loc), message=message, code=code)


def dedupe(issues: Iterable[ValidationIssue]) -> list[ValidationIssue]:
    """Drop exact repeats while keeping the order in which problems were found."""
    seen: set[tuple[str, str, str]] = set()
    out: list[ValidationIssue] = []
    for issue in issues:
        key = (issue.pointer, issue.code, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
