"""GitHubSource with the real PyGithub client against a local server that answers GitHub's REST calls."""

from __future__ import annotations

import io
import json
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Repository
from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.sources import GitHubSource, make_source
from tests.unit.repositories.conftest import DOMINO_REPO, Steps, assert_nothing_left, counts

OWNER, NAME = "example-org", "domino_style_pieces"
SHAS = {"0.1.0": "1" * 40, "0.2.0": "2" * 40, "main": "3" * 40}
API = "/api/v3"  # GitHub Enterprise layout: the client is pointed at it with base_url


def github_tarball(source: Path, top: str, extra: list[tarfile.TarInfo] | None = None) -> bytes:
    """A tarball laid out like GitHub's: one ``owner-repo-sha/`` folder."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(source.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            tar.add(path, arcname=f"{top}/{path.relative_to(source).as_posix()}", recursive=False)
        for info in extra or []:
            tar.addfile(info)
    return buffer.getvalue()


@dataclass
class FakeGitHub:
    url: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tarballs: dict[str, bytes] = field(default_factory=dict)
    releases: list[str] = field(default_factory=lambda: ["0.2.0"])
    tags: list[str] = field(default_factory=lambda: ["0.2.0", "0.1.0"])

    @property
    def base_url(self) -> str:
        return f"{self.url}{API}"

    def paths(self) -> list[str]:
        return [path.split("?", 1)[0] for path, _headers in self.requests]

    def headers_of(self, prefix: str) -> list[dict[str, str]]:
        return [headers for path, headers in self.requests if path.startswith(prefix)]


def _handler(api: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    repo_path = f"{API}/repos/{OWNER}/{NAME}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            api.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            repo_url = f"{api.base_url}/repos/{OWNER}/{NAME}"
            if path == repo_path:
                return self._json(200, {
                    "id": 1, "name": NAME, "full_name": f"{OWNER}/{NAME}", "url": repo_url,
                    "html_url": f"{api.url}/{OWNER}/{NAME}", "default_branch": "main", "private": True,
                })  # fmt: skip
            if path == f"{repo_path}/releases":
                return self._json(200, [{"id": i, "tag_name": t, "url": f"{repo_url}/releases/{i}"}
                                        for i, t in enumerate(api.releases)])  # fmt: skip
            if path == f"{repo_path}/tags":
                return self._json(200, [{"name": t, "commit": {"sha": SHAS.get(t, "0" * 40),
                                                               "url": f"{repo_url}/commits/{SHAS.get(t)}"}}
                                        for t in api.tags])  # fmt: skip
            if path.startswith(f"{repo_path}/commits/"):
                ref = path.rsplit("/", 1)[-1]
                if ref not in SHAS:
                    return self._json(422, {"message": f"No commit found for SHA: {ref}"})
                return self._json(200, {"sha": SHAS[ref], "url": f"{repo_url}/commits/{SHAS[ref]}"})
            if path.startswith(f"{repo_path}/tarball/"):
                ref = path.rsplit("/", 1)[-1]
                if ref not in api.tarballs:
                    return self._json(404, {"message": "Not Found"})
                self.send_response(302)
                self.send_header("Location", f"{api.url}/codeload/{OWNER}/{NAME}/legacy.tar.gz/{ref}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path.startswith(f"/codeload/{OWNER}/{NAME}/legacy.tar.gz/"):
                data = api.tarballs[path.rsplit("/", 1)[-1]]
                self.send_response(200)
                self.send_header("Content-Type", "application/x-gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            return self._json(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})

    return Handler


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    api = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.tarballs["0.1.0"] = github_tarball(DOMINO_REPO, f"{OWNER}-{NAME}-{SHAS['0.1.0'][:7]}")
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def _install(session: Session, source: GitHubSource, ref: str, root: Path, progress: Steps) -> installer.Installed:
    return installer.install(
        session, source, ref, root=root, installed_by="tester", progress=progress, build_runtimes=False
    )


def test_versions_list_releases_then_tags_once_each_with_the_token(github: FakeGitHub) -> None:
    source = GitHubSource(f"{OWNER}/{NAME}", token="ghp_secret123", base_url=github.base_url)
    assert source.versions() == ["0.2.0", "0.1.0"]
    assert github.paths()[0] == f"{API}/repos/{OWNER}/{NAME}"
    assert any(p.startswith(f"{API}/repos/{OWNER}/{NAME}/releases") for p in github.paths())
    assert any(p.startswith(f"{API}/repos/{OWNER}/{NAME}/tags") for p in github.paths())
    for _path, headers in github.requests:
        assert headers.get("authorization") in ("token ghp_secret123", "Bearer ghp_secret123"), headers


def test_install_at_a_tag_downloads_the_tarball(
    github: FakeGitHub, session: Session, root: Path, progress: Steps
) -> None:
    source = GitHubSource(f"https://github.com/{OWNER}/{NAME}.git", token="ghp_secret123", base_url=github.base_url)
    installed = _install(session, source, "0.1.0", root, progress)

    assert (installed.name, installed.version) == (NAME, "0.1.0")
    repository = session.get(Repository, installed.repository_id)
    assert repository is not None
    assert (repository.source_type, repository.source_ref) == ("github", "0.1.0")
    assert repository.commit_sha == SHAS["0.1.0"]
    folder = root / NAME / "0.1.0"
    assert repository.path == str(folder)
    assert (folder / "pieces" / "AddPiece" / "piece.py").is_file()
    assert not list(folder.glob(f"{OWNER}-*"))  # the tarball's top folder became the version folder
    assert not list(root.glob(".staging-*"))
    paths = github.paths()
    assert f"{API}/repos/{OWNER}/{NAME}/commits/0.1.0" in paths
    assert f"{API}/repos/{OWNER}/{NAME}/tarball/0.1.0" in paths
    assert f"/codeload/{OWNER}/{NAME}/legacy.tar.gz/0.1.0" in paths
    for headers in github.headers_of(API):
        assert headers["authorization"] in ("token ghp_secret123", "Bearer ghp_secret123")
    assert github.headers_of("/codeload/")[0]["authorization"] == "Bearer ghp_secret123"


def test_without_a_token_no_authorization_is_sent(github: FakeGitHub) -> None:
    assert GitHubSource(f"{OWNER}/{NAME}", base_url=github.base_url).versions() == ["0.2.0", "0.1.0"]
    assert all("authorization" not in headers for _path, headers in github.requests)


def test_token_and_base_url_come_from_the_airflow_connection_and_config(
    github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__GITHUB_CONN_ID", "my_github")
    monkeypatch.setenv("AIRFLOW__DOMINO__GITHUB_BASE_URL", github.base_url)
    monkeypatch.setenv("AIRFLOW_CONN_MY_GITHUB", json.dumps({"conn_type": "generic", "password": "ghp_fromconn"}))
    source = make_source("github", f"{OWNER}/{NAME}")
    assert isinstance(source, GitHubSource)
    assert (source.base_url, source.token) == (github.base_url, "ghp_fromconn")
    assert source.versions() == ["0.2.0", "0.1.0"]
    assert github.requests[0][1]["authorization"] in ("token ghp_fromconn", "Bearer ghp_fromconn")


def test_missing_connection_means_no_token(github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__DOMINO__GITHUB_CONN_ID", "not_defined_anywhere")
    monkeypatch.setenv("AIRFLOW__DOMINO__GITHUB_BASE_URL", github.base_url)
    source = make_source("github", f"{OWNER}/{NAME}")
    assert isinstance(source, GitHubSource)
    assert source.token is None


def test_unknown_repository_is_a_clear_error(github: FakeGitHub, session: Session, root: Path, progress: Steps):
    source = GitHubSource(f"{OWNER}/missing_pieces", token="t", base_url=github.base_url)
    with pytest.raises(InstallError) as caught:
        source.versions()
    assert caught.value.message.startswith(f"GitHub: cannot read {OWNER}/missing_pieces: 404")
    with pytest.raises(InstallError) as caught:
        _install(session, source, "0.1.0", root, progress)
    assert caught.value.message.startswith(f"GitHub: cannot read {OWNER}/missing_pieces: 404")
    assert_nothing_left(session, root)


def test_unknown_tag_is_a_clear_error(github: FakeGitHub, session: Session, root: Path, progress: Steps) -> None:
    source = GitHubSource(f"{OWNER}/{NAME}", base_url=github.base_url)
    with pytest.raises(InstallError) as caught:
        _install(session, source, "9.9.9", root, progress)
    assert caught.value.message.startswith(f"GitHub: {OWNER}/{NAME} has no version '9.9.9'")
    assert_nothing_left(session, root)


def test_not_owner_slash_name_is_refused() -> None:
    with pytest.raises(InstallError, match="source_url: expected 'owner/name' for a GitHub repository"):
        GitHubSource("just-a-name").versions()


def test_tarball_with_unsafe_entries_leaves_nothing(
    github: FakeGitHub, session: Session, root: Path, progress: Steps
) -> None:
    link = tarfile.TarInfo(f"{OWNER}-{NAME}-abc/pieces/AddPiece/evil.py")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    github.tarballs["main"] = github_tarball(DOMINO_REPO, f"{OWNER}-{NAME}-abc", extra=[link])
    with pytest.raises(InstallError) as caught:
        _install(session, GitHubSource(f"{OWNER}/{NAME}", base_url=github.base_url), "main", root, progress)
    assert "unsafe entries" in caught.value.message
    assert "pieces/AddPiece/evil.py" in caught.value.message
    assert_nothing_left(session, root)
    assert counts(session) == (0, 0)
