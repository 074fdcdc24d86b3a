"""Where a repository version comes from: a local folder, any git URL, or GitHub.

Each source fetches one version into a staging folder and lists the versions it offers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from airflow_domino_plugin.repositories.archive import extract_tarball
from airflow_domino_plugin.repositories.errors import InstallError

SourceType = Literal["local", "git", "github"]

IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "node_modules")


class Source(Protocol):
    type: SourceType
    url: str

    def fetch(self, ref: str, into: Path) -> tuple[Path, str]:
        """Materialise version ``ref`` below ``into``; return its folder and the commit (if known)."""
        ...

    def versions(self) -> list[str]:
        """Versions (tags) this source offers, newest first where the source knows."""
        ...


@dataclass
class LocalSource:
    url: str
    type: SourceType = "local"

    def _path(self) -> Path:
        path = Path(self.url).expanduser()
        if not path.is_dir():
            raise InstallError(f"source_url: the folder {self.url} does not exist or is not a folder")
        return path

    def fetch(self, ref: str, into: Path) -> tuple[Path, str]:
        target = into / "checkout"
        shutil.copytree(self._path(), target, ignore=IGNORED, symlinks=False)
        return target, ""

    def versions(self) -> list[str]:
        from airflow_domino_sdk.repository import read_repository_config

        config, _errors, _warnings = read_repository_config(self._path())
        version = config.get("VERSION")
        return [str(version)] if version else []


def _git(*args: str, cwd: Path | None = None, timeout: float = 300) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise InstallError(f"git {args[0]} timed out after {timeout:.0f}s") from exc
    if result.returncode != 0:
        raise InstallError(f"git {args[0]} failed: {result.stderr.strip()[-800:] or result.stdout.strip()[-800:]}")
    return result.stdout


@dataclass
class GitSource:
    url: str
    type: SourceType = "git"

    def fetch(self, ref: str, into: Path) -> tuple[Path, str]:
        target = into / "checkout"
        args = ["clone", "--quiet", "--depth", "1"]
        if ref:
            args += ["--branch", ref]
        _git(*args, "--", self.url, str(target))
        commit = _git("rev-parse", "HEAD", cwd=target).strip()
        shutil.rmtree(target / ".git", ignore_errors=True)
        return target, commit

    def versions(self) -> list[str]:
        tags = []
        for line in _git("ls-remote", "--tags", "--refs", "--", self.url, timeout=60).splitlines():
            _sha, _, ref = line.partition("\t")
            tags.append(ref.removeprefix("refs/tags/"))
        from airflow_domino_plugin.workflows.catalog import version_sort_key

        return sorted(tags, key=version_sort_key, reverse=True)


@dataclass
class GitHubSource:
    """``url`` is ``owner/name`` (or a github.com URL); the token comes from an Airflow connection."""

    url: str
    token: str | None = None
    base_url: str = "https://api.github.com"
    type: SourceType = "github"

    @property
    def full_name(self) -> str:
        name = self.url.strip().removesuffix(".git").rstrip("/")
        for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
            name = name.removeprefix(prefix)
        if name.count("/") != 1:
            raise InstallError(f"source_url: expected 'owner/name' for a GitHub repository, got {self.url!r}")
        return name

    def _repo(self):  # type: ignore[no-untyped-def]
        from github import Auth, Github, GithubException

        auth = Auth.Token(self.token) if self.token else None
        client = Github(auth=auth, base_url=self.base_url, timeout=30, retry=None)
        try:
            return client.get_repo(self.full_name)
        except GithubException as exc:
            raise InstallError(f"GitHub: cannot read {self.full_name}: {exc.status} {exc.data}") from exc

    def versions(self) -> list[str]:
        from github import GithubException

        repo = self._repo()
        try:
            releases = [r.tag_name for r in repo.get_releases()]
            tags = [t.name for t in repo.get_tags()]
        except GithubException as exc:
            raise InstallError(f"GitHub: cannot list versions of {self.full_name}: {exc.status}") from exc
        return list(dict.fromkeys([*releases, *tags]))

    def fetch(self, ref: str, into: Path) -> tuple[Path, str]:
        import requests
        from github import GithubException

        repo = self._repo()
        try:
            commit = repo.get_commit(ref).sha if ref else ""
            link = repo.get_archive_link("tarball", ref or repo.default_branch)
        except GithubException as exc:
            raise InstallError(f"GitHub: {self.full_name} has no version {ref!r}: {exc.status}") from exc
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        archive = into / "archive.tar.gz"
        with requests.get(link, headers=headers, stream=True, timeout=60) as response:
            if response.status_code != 200:
                raise InstallError(
                    f"GitHub: downloading {self.full_name}@{ref} failed with HTTP {response.status_code}"
                )
            with archive.open("wb") as handle:
                for chunk in response.iter_content(1 << 16):
                    handle.write(chunk)
        extracted = extract_tarball(archive, into / "extracted")
        return extracted, commit


def make_source(source_type: str, url: str) -> Source:
    if source_type == "local":
        return LocalSource(str(Path(url).expanduser().resolve()))
    if source_type == "git":
        return GitSource(url)
    if source_type == "github":
        from airflow_domino_plugin import config

        return GitHubSource(
            url, token=github_token(config.get("github_conn_id")), base_url=config.get("github_base_url")
        )
    raise InstallError(f"source_type: expected one of local, git, github; got {source_type!r}")


def github_token(conn_id: str) -> str | None:
    """The token is the password of an Airflow connection, so secrets backends apply; none is fine for public repos."""
    try:
        from airflow.sdk import Connection

        return Connection.get(conn_id).password or None
    except Exception:
        try:
            from airflow_domino_plugin import airflow_adapter

            return airflow_adapter.connection_from_secrets(conn_id).password or None
        except Exception:
            return None


def staging_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
