"""Installing one repository version: fetch, validate, materialise, build runtimes, record — or nothing.

The steps report progress through a callback (the API stores it on the install job; the
command line prints it). Any failure removes what this install created and writes no rows.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.runtime_env import ensure_environment, pydantic_only_environment, sdk_path
from airflow_domino_plugin.repositories.sources import Source, staging_dir

if TYPE_CHECKING:
    from airflow_domino_sdk.repository import Interpreter

Progress = Callable[[int, str], None]

SAFE_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"


@dataclass
class Installed:
    repository_id: int
    name: str
    version: str
    pieces: list[str]
    warnings: list[str] = field(default_factory=list)


def _checked_name(value: Any, what: str) -> str:
    text = str(value or "")
    if not text or any(ch not in SAFE_NAME for ch in text) or text.startswith("."):
        raise InstallError(
            f"config.toml: {what} {text!r} must be letters, digits, '_', '.', '-' (not starting with '.')"
        )
    return text


class AlreadyInstalled(InstallError):
    """That name and version are installed already."""


def identify(checkout: Path) -> tuple[str, str]:
    """Repository name and version from config.toml, checked before any heavier work."""
    from airflow_domino_sdk.repository import read_repository_config

    if not (checkout / "config.toml").is_file():
        raise InstallError("config.toml: missing file at the repository root (is this a pieces repository?)")
    config, errors, _warnings = read_repository_config(checkout)
    if errors:
        summary = "; ".join(str(e) for e in errors[:5])
        raise InstallError(f"config.toml is invalid: {summary}", [e.to_dict() for e in errors])
    return _checked_name(config.get("REPOSITORY_NAME"), "REPOSITORY_NAME"), _checked_name(
        config.get("VERSION"), "VERSION"
    )


def _compile_settings() -> tuple[float, list[str], list[str], str]:
    """``[domino] compile_timeout_s``, ``piece_env_allowlist`` and ``process_isolation``, checked:
    (timeout, allow-list, isolation command prefix, why there is no isolation)."""
    from airflow_domino_plugin import config

    raw = config.get("compile_timeout_s")
    try:
        timeout = float(raw)
    except ValueError:
        timeout = 0.0
    if timeout <= 0:
        raise InstallError(f"[domino] compile_timeout_s: {raw!r} is not a positive number of seconds")
    from airflow_domino_sdk.sandbox_env import SandboxEnvError, check_extra_names, isolation_prefix

    try:
        allowlist = check_extra_names(config.get("piece_env_allowlist").split(","))
    except SandboxEnvError as exc:
        raise InstallError(f"[domino] piece_env_allowlist: {exc}") from exc
    try:
        prefix, why_not = isolation_prefix(config.get("process_isolation"))
    except SandboxEnvError as exc:
        raise InstallError(f"[domino] process_isolation: {exc}") from exc
    return timeout, allowlist, prefix, why_not


class _GroupEnvironments:
    """Which interpreter compiles a dependency group: its own virtualenv (built now, then reused by the
    runner); without runtimes, or for a requirements file the compile will refuse, a pydantic-only one."""

    def __init__(self, checkout: Path, root: Path, label: str, progress: Progress, build_runtimes: bool) -> None:
        self.checkout, self.root, self.label, self.progress = checkout, root, label, progress
        self.build_runtimes = build_runtimes
        self.ensured: set[str] = set()  # requirements whose environment is ready

    def __call__(self, group: str, dependency: dict[str, Any]) -> str:
        requirements_file = dependency.get("requirements_file")
        if not self.build_runtimes or (requirements_file and not _safe_requirements(self.checkout, requirements_file)):
            return str(pydantic_only_environment(self.root))
        path = self.checkout / "dependencies" / requirements_file if requirements_file else None
        requirements = path.read_text() if path else ""
        what = f"{self.label} ({group})"
        python = ensure_environment(self.root, requirements, _at(self.progress, 30), what)
        self.ensured.add(requirements)
        return str(python)


def _with_image_registry(dependencies_map: dict[str, Any]) -> dict[str, Any]:
    """The groups' images as the runners will pull them: moved to ``[domino] image_registry`` when set
    (the same rule ``domino-pieces build-images --registry`` tags and pushes by)."""
    from airflow_domino_sdk.images import ImageNameError, with_registry

    from airflow_domino_plugin import config

    registry = config.get("image_registry").strip()
    if not registry:
        return dependencies_map
    try:
        return {
            group: {**spec, "source_image": with_registry(str(spec["source_image"]), registry)}
            if isinstance(spec, dict) and spec.get("source_image")
            else spec
            for group, spec in dependencies_map.items()
        }
    except ImageNameError as exc:
        raise InstallError(f"[domino] image_registry: {exc}") from exc


def _compile(checkout: Path, source_url: str, interpreter: Interpreter, progress: Progress | None = None) -> Any:
    """The compiled metadata, from ``.domino/`` when the repository ships it, else compiled now."""
    from airflow_domino_sdk.repository import CompileResult, compile_repository, read_repository_config

    shipped = checkout / ".domino" / "compiled_metadata.json"
    if shipped.is_file():
        config, errors, _warnings = read_repository_config(checkout)
        if errors:
            raise InstallError("config.toml is invalid", [e.to_dict() for e in errors])
        try:
            compiled = json.loads(shipped.read_text())
            dependencies_path = checkout / ".domino" / "dependencies_map.json"
            dependencies = json.loads(dependencies_path.read_text()) if dependencies_path.is_file() else {}
        except (OSError, ValueError) as exc:
            raise InstallError(f".domino/compiled_metadata.json: not valid JSON ({exc})") from exc
        if not isinstance(compiled, dict) or not compiled:
            raise InstallError(".domino/compiled_metadata.json: expected an object with one entry per piece")
        return CompileResult(str(checkout), config=config, compiled_metadata=compiled, dependencies_map=dependencies)
    # The pieces' models.py runs in each group's own environment, never inside the API server
    # and never with its environment (secrets): see airflow_domino_sdk.sandbox_env.
    timeout, allowlist, prefix, why_not = _compile_settings()
    if progress is not None and not prefix:
        progress(25, f"Compiling without process isolation ({why_not}): piece code can see this machine's processes")
    result = compile_repository(
        checkout,
        source_url=source_url,
        python=interpreter,
        timeout=timeout,
        extra_env_names=allowlist,
        limit_name=f"[domino] compile_timeout_s = {timeout:g}",
        command_prefix=prefix,
    )
    if not result.ok:
        problems = [e.to_dict() for e in result.errors]
        summary = "; ".join(str(e) for e in result.errors[:5])
        raise InstallError(f"The repository has {len(problems)} problem(s): {summary}", problems)
    return result


def _safe_requirements(checkout: Path, requirements: Any) -> bool:
    return (
        isinstance(requirements, str)
        and "/" not in requirements
        and "\\" not in requirements
        and ".." not in requirements
        and (checkout / "dependencies" / requirements).is_file()
    )


def _escaping_links(checkout: Path) -> list[str]:
    """Symbolic links (git keeps them) that resolve outside the checkout, relative to it."""
    inside = checkout.resolve()
    found = []
    for path in sorted(checkout.rglob("*")):
        if path.is_symlink():
            target = path.resolve()
            if target != inside and inside not in target.parents:
                found.append(path.relative_to(checkout).as_posix())
    return found


def _check_piece_files(checkout: Path, compiled: dict[str, Any], dependencies: dict[str, Any] | None = None) -> None:
    problems = []
    for name, meta in compiled.items():
        if not isinstance(meta, dict):
            problems.append({"file": ".domino/compiled_metadata.json", "field": name, "message": "expected an object"})
            continue
        if any(ch not in SAFE_NAME for ch in name) or not name.endswith("Piece"):
            problems.append({"file": ".domino/compiled_metadata.json", "field": name, "message": "unsafe piece name"})
            continue
        if meta.get("name") not in (None, name):
            problems.append({"file": ".domino/compiled_metadata.json", "field": f"{name}.name",
                             "message": f"{meta.get('name')!r} must equal the piece's key {name!r}"})  # fmt: skip
        if not (checkout / "pieces" / name / "piece.py").is_file():
            problems.append({"file": f"pieces/{name}/piece.py", "field": "", "message": "missing file"})
        for key in ("input_schema", "output_schema"):
            if not isinstance(meta.get(key), dict):
                problems.append({"file": ".domino/compiled_metadata.json", "field": f"{name}.{key}",
                                 "message": "expected a JSON schema object"})  # fmt: skip
        requirements = (meta.get("dependency") or {}).get("requirements_file")
        if requirements and not _safe_requirements(checkout, requirements):
            problems.append({"file": f"dependencies/{requirements}", "field": f"{name}.dependency",
                             "message": "missing or unsafe requirements file"})  # fmt: skip
    # The runtimes are built from the dependency groups, so their requirement files are checked too.
    for group, spec in (dependencies or {}).items():
        dependency = spec.get("dependency") if isinstance(spec, dict) else None
        if not isinstance(dependency, dict):
            problems.append({"file": ".domino/dependencies_map.json", "field": str(group),
                             "message": "expected an object with a 'dependency' object"})  # fmt: skip
            continue
        requirements = dependency.get("requirements_file")
        if requirements and not _safe_requirements(checkout, requirements):
            problems.append({"file": ".domino/dependencies_map.json", "field": f"{group}.dependency",
                             "message": f"missing or unsafe requirements file {requirements!r}"})  # fmt: skip
    for link in _escaping_links(checkout):
        problems.append({"file": link, "field": "", "message": "a link pointing outside the repository"})
    if problems:
        summary = "; ".join(f"{p['file']}: {p['field']}: {p['message']}" for p in problems[:5])
        raise InstallError(f"The repository's metadata has {len(problems)} problem(s): {summary}", problems)


def _at(progress: Progress, percent: int) -> Callable[[str], None]:
    return lambda message: progress(percent, message)


def install(
    session: Session,
    source: Source,
    ref: str,
    *,
    root: Path,
    installed_by: str,
    progress: Progress,
    build_runtimes: bool = True,
) -> Installed:
    """Install ``ref`` of ``source`` under ``root``; commit the rows only when every step worked."""
    staging = staging_dir(root)
    moved: Path | None = None  # the version folder, once this install has put it in place
    try:
        progress(5, f"Fetching {source.url}" + (f" at {ref}" if ref else ""))
        checkout, commit = source.fetch(ref, staging)
        name, version = identify(checkout)
        existing = session.scalar(select(Repository).where(Repository.name == name, Repository.version == version))
        if existing is not None:
            raise AlreadyInstalled(
                f"{name} {version} is already installed (id {existing.id}); delete it first or install another version"
            )
        if ref and source.type != "local" and ref.lstrip("v") != version.lstrip("v"):
            progress(20, f"Note: tag {ref} holds VERSION {version} in config.toml; installing it as {version}")
        progress(25, "Validating the repository")
        environments = _GroupEnvironments(checkout, root, f"{name} {version}", progress, build_runtimes)
        result = _compile(checkout, source.url, environments, progress)
        _check_piece_files(checkout, result.compiled_metadata, result.dependencies_map)
        config = result.config
        final = root / name / version
        if final.exists():
            shutil.rmtree(final)  # left over from an earlier failed install: no row points at it
        final.parent.mkdir(parents=True, exist_ok=True)
        checkout.rename(final)
        moved = final
        warnings = [str(w) for w in getattr(result, "warnings", [])]
        if build_runtimes:
            sdk_path(root)
            groups = result.dependencies_map or {}
            for index, (group, spec) in enumerate(sorted(groups.items())):
                dependency = spec.get("dependency") or {}
                requirements_file = dependency.get("requirements_file")
                requirements = (final / "dependencies" / requirements_file).read_text() if requirements_file else ""
                if dependency.get("dockerfile") and not requirements_file:
                    warnings.append(f"{group}: built from a Dockerfile; the local runner uses the base environment")
                if requirements in environments.ensured:
                    continue  # built for the compile already
                percent = 40 + int(50 * index / max(1, len(groups)))
                ensure_environment(root, requirements, _at(progress, percent), f"{name} {version} ({group})")
        progress(92, "Recording the pieces")
        repository = Repository(
            name=name,
            version=version,
            label=str(config.get("REPOSITORY_LABEL") or name),
            description=str(config.get("DESCRIPTION") or ""),
            registry_name=str(config.get("REGISTRY_NAME") or ""),
            source_type=source.type,
            source_url=source.url,
            source_ref=ref,
            commit_sha=commit,
            path=str(final),
            config=config,
            dependencies_map=_with_image_registry(result.dependencies_map),
            installed_by=installed_by,
        )
        for piece_name, meta in sorted(result.compiled_metadata.items()):
            repository.pieces.append(
                Piece(
                    name=piece_name,
                    description=str(meta.get("description") or ""),
                    dependency=meta.get("dependency") or {},
                    container_resources=meta.get("container_resources") or {},
                    tags=list(meta.get("tags") or []),
                    style=meta.get("style") or {},
                    input_schema=meta.get("input_schema") or {},
                    output_schema=meta.get("output_schema") or {},
                    secrets_schema=meta.get("secrets_schema") or {},
                    source_url=str(meta.get("source_url") or ""),
                )
            )
        session.add(repository)
        session.commit()
        progress(100, f"Installed {name} {version} with {len(repository.pieces)} pieces")
        return Installed(repository.id, name, version, [p.name for p in repository.pieces], warnings)
    except BaseException:
        session.rollback()
        if moved is not None and moved.exists():
            shutil.rmtree(moved, ignore_errors=True)
            if moved.parent.exists() and not any(moved.parent.iterdir()):
                moved.parent.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
