"""Repository sources: local folders are admin-only and kept inside configured roots (issue 11, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_domino_plugin.services import source_access
from airflow_domino_plugin.services.errors import Forbidden, InvalidInput


@pytest.mark.parametrize(
    ("source_type", "url", "local"),
    [
        ("local", "/srv/pieces", "/srv/pieces"),
        ("git", "file:///srv/pieces.git", "/srv/pieces.git"),
        ("git", "/srv/pieces.git", "/srv/pieces.git"),
        ("git", "https://github.com/a/b.git", None),
        ("git", "git@github.com:a/b.git", None),
        ("github", "owner/name", None),
    ],
)
def test_sources_that_read_the_servers_disk(source_type: str, url: str, local: str | None) -> None:
    found = source_access.local_path(source_type, url)
    assert (str(found) if found else None) == local


def test_local_sources_must_lie_inside_the_configured_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = tmp_path / "allowed" / "repo"
    inside.mkdir(parents=True)
    outside = tmp_path / "other"
    outside.mkdir()
    (inside / "escape").symlink_to(outside)
    source_access.check_install_source("local", str(outside))  # no roots configured: anything goes
    monkeypatch.setenv("AIRFLOW__DOMINO__LOCAL_REPOSITORY_ROOTS", f"{tmp_path / 'allowed'}, /nonexistent")
    source_access.check_install_source("local", str(inside))
    source_access.check_install_source("git", f"file://{inside}")
    for url in (str(outside), f"{inside}/../../other", str(inside / "escape"), "/etc"):
        with pytest.raises(Forbidden) as refused:
            source_access.check_install_source("local", url)
        assert refused.value.issues[0].path == "source_url"
    with pytest.raises(Forbidden):
        source_access.check_install_source("git", f"file://{outside}")


@pytest.mark.parametrize("url", ["ext::sh -c id", "fd::3", "gopher://example.org/x"])
def test_git_transports_that_run_commands_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        source_access.check_install_source("git", url)
    assert refused.value.issues[0].code == "git_scheme"


@pytest.mark.parametrize("url", ["0" * 5000, "/tmp/a\x00b", "/" + "x" * 300])
def test_paths_the_os_cannot_look_up_are_bad_input(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        source_access.check_install_source("local", url)
    assert refused.value.issues[0].path == "source_url"
