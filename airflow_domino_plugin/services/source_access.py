"""Who may make the API server contact a repository source, and which local folders it may read.

Listing a source's versions runs ``git ls-remote`` / reads a folder / calls GitHub *from the API
server*, so for an arbitrary source it is as powerful as an install: a read-only user could make
the server probe internal URLs or test which paths exist. Hence:

- a source that is already installed (same type and URL) may be listed by anyone who may read;
- any other source needs the admin permission;
- local folders and ``file://`` (or path-like) git URLs are admin-only always, and must lie inside
  ``[domino] local_repository_roots`` when that is set (for installs too);
- git URLs must use ``https``, ``http``, ``ssh``, ``git`` or ``file`` (or ``user@host:path``):
  other git transports (``ext::``, ``fd::``) can run commands.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin import config
from airflow_domino_plugin.db.models import Repository
from airflow_domino_plugin.services.errors import Forbidden, InvalidInput, Issue

GIT_SCHEMES = ("https", "http", "ssh", "git", "file")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!//)")


def _issue(message: str, code: str) -> Issue:
    return Issue(path="source_url", pointer="/source_url", message=message, code=code)


def local_path(source_type: str, url: str) -> Path | None:
    """The folder a source reads from the API server's disk, or None for a remote source."""
    if source_type == "local":
        return Path(url).expanduser()
    if source_type != "git":
        return None
    if "://" in url:
        parts = urlsplit(url)
        return Path(unquote(parts.path)) if parts.scheme.lower() == "file" else None
    if _SCP_LIKE.match(url) or "::" in url:
        return None
    return Path(url).expanduser()


def _check_git_url(url: str) -> None:
    if "::" in url and "://" not in url.split("::", 1)[0]:
        raise InvalidInput(
            "This git transport is not allowed.",
            [_issue(f"Expected an {', '.join(GIT_SCHEMES)} URL or user@host:path; got {url!r}.", "git_scheme")],
        )
    if "://" in url:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in GIT_SCHEMES:
            raise InvalidInput(
                "This git URL scheme is not allowed.",
                [_issue(f"Expected one of {', '.join(GIT_SCHEMES)}; got {scheme!r}.", "git_scheme")],
            )


def allowed_roots() -> list[Path]:
    raw = config.get("local_repository_roots")
    return [Path(os.path.realpath(Path(p.strip()).expanduser())) for p in raw.split(",") if p.strip()]


def _check_usable(path: Path) -> None:
    """A path the OS cannot even look up (too long, NUL byte, …) is a bad input, not a server error."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return  # the source itself says that the folder does not exist
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidInput(
            "The source_url is not a usable path.", [_issue(f"Expected a folder path ({reason}).", "invalid_path")]
        ) from None


def check_local_roots(source_type: str, url: str) -> None:
    """Refuse a local source outside ``[domino] local_repository_roots`` (when set), or one that is no path."""
    path = local_path(source_type, url)
    if path is not None:
        _check_usable(path)
    roots = allowed_roots()
    if path is None or not roots:
        return
    resolved = Path(os.path.realpath(path))
    if not any(resolved == root or resolved.is_relative_to(root) for root in roots):
        raise Forbidden(
            "Local repository sources must lie inside [domino] local_repository_roots.",
            [_issue(f"Expected a folder inside {', '.join(map(str, roots))}.", "outside_local_roots")],
        )


def check_install_source(source_type: str, url: str) -> None:
    """What an admin may install from (the admin check itself is the route's)."""
    if source_type == "git":
        _check_git_url(url)
    check_local_roots(source_type, url)


def check_versions_source(session: Session, source_type: str, url: str, *, is_admin: bool) -> None:
    """Whether this user may make the server list ``url``'s versions; raises Forbidden otherwise."""
    if source_type == "git":
        _check_git_url(url)
    if local_path(source_type, url) is not None:
        if not is_admin:
            raise Forbidden(
                "Listing versions of a local folder or file:// URL needs the admin permission.",
                [_issue("Only administrators may name folders on the server.", "admin_only")],
            )
        check_local_roots(source_type, url)
        return
    if is_admin:
        return
    installed = session.scalar(
        select(Repository.id).where(Repository.source_type == source_type, Repository.source_url == url).limit(1)
    )
    if installed is None:
        raise Forbidden(
            "Listing versions of a source that is not installed needs the admin permission.",
            [_issue("Not the source of an installed repository; ask an administrator.", "admin_only")],
        )
