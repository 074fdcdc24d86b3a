"""Validate and compile a pieces repository (Domino layout).

:func:`compile_repository` is pure (it imports each ``models.py`` but writes nothing) and collects
*every* problem as a :class:`RepositoryError` naming the file and the field, so the author CLI and
the server-side repository installer share one validation. :func:`write_compiled_files` then
writes ``.domino/compiled_metadata.json`` and ``.domino/dependencies_map.json``.

``python -m airflow_domino_sdk.repository REPO_DIR --json [--piece NAME ...]`` prints the result
as JSON; with ``compile_repository(..., python=...)`` each dependency group's models are imported
in that group's own interpreter (its virtualenv), with an allow-listed environment and a time
limit, keeping untrusted code out of the calling process and its secrets.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from airflow_domino_sdk.errors import PieceLoadError, format_loc
from airflow_domino_sdk.images import image_name
from airflow_domino_sdk.loader import import_piece_module, piece_package_name, unload_piece
from airflow_domino_sdk.sandbox_env import sandbox_environ

__all__ = [
    "COMPILED_METADATA_FILE",
    "DEPENDENCIES_MAP_FILE",
    "CompileResult",
    "RepositoryError",
    "compile_repository",
    "read_repository_config",
    "write_compiled_files",
]

CONFIG_FILE = "config.toml"
DOMINO_DIR = ".domino"
COMPILED_METADATA_FILE = f"{DOMINO_DIR}/compiled_metadata.json"
DEPENDENCIES_MAP_FILE = f"{DOMINO_DIR}/dependencies_map.json"
GENERATED_FIELDS = ("input_schema", "output_schema", "secrets_schema", "source_url")
FROM_UPSTREAM_VALUES = ("allowed", "always", "never")
WIDGET_RE = re.compile(r"^(textarea|codeeditor(-[A-Za-z0-9_+#.-]+)?)$")
REPOSITORY_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
VERSION_RE = re.compile(r"^v?\d+\.\d+\.\d+(?:[-.][0-9A-Za-z.-]+)?$")
REGISTRY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:-]*$")

DEFAULT_DEPENDENCY: dict[str, Any] = {"dockerfile": None, "requirements_file": None}
DEFAULT_CONTAINER_RESOURCES: dict[str, Any] = {
    "requests": {"cpu": 100, "memory": 128},
    "limits": {"cpu": 100, "memory": 128},
    "use_gpu": False,
}
DEFAULT_STYLE: dict[str, Any] = {
    "node_label": None,  # filled with the piece name
    "node_type": "default",
    "node_style": {"backgroundColor": "#ebebeb"},
    "use_icon": True,
    "icon_class_name": "fa-solid fa-circle",
    "icon_style": {"cursor": "pointer"},
}


@dataclass(frozen=True)
class RepositoryError:
    """One problem: ``file`` relative to the repository root, ``field`` inside it (or None)."""

    file: str
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"


@dataclass
class CompileResult:
    """Outcome of :func:`compile_repository`; the compiled data is only complete when ``ok``."""

    repo_dir: str
    config: dict[str, Any] = field(default_factory=dict)
    compiled_metadata: dict[str, dict[str, Any]] = field(default_factory=dict)
    dependencies_map: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[RepositoryError] = field(default_factory=list)
    warnings: list[RepositoryError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo_dir": self.repo_dir,
            "config": self.config,
            "compiled_metadata": self.compiled_metadata,
            "dependencies_map": self.dependencies_map,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompileResult:
        return cls(
            repo_dir=data["repo_dir"],
            config=data.get("config", {}),
            compiled_metadata=data.get("compiled_metadata", {}),
            dependencies_map=data.get("dependencies_map", {}),
            errors=[RepositoryError(**e) for e in data.get("errors", [])],
            warnings=[RepositoryError(**w) for w in data.get("warnings", [])],
        )


# --------------------------------------------------------------------------------------- metadata


def _cpu_millicores(value: Any) -> int:
    """``100`` / ``"100m"`` → 100 millicores; ``"0.5"`` / ``0.5`` (float) → cores → 500."""
    if isinstance(value, bool):
        raise ValueError("must be a number of millicores")
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        result = round(value * 1000)
    elif isinstance(value, str) and re.fullmatch(r"\d+m", value.strip()):
        result = int(value.strip()[:-1])
    elif isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        result = round(float(value) * 1000)
    else:
        raise ValueError(f"{value!r} is not a CPU amount (millicores such as 500 or '500m')")
    if result <= 0:
        raise ValueError("must be positive")
    return result


def _memory_mib(value: Any) -> int:
    """``128`` / ``"128Mi"`` → 128 MiB; ``"2Gi"`` → 2048."""
    if isinstance(value, bool):
        raise ValueError("must be a number of MiB")
    if isinstance(value, int):
        result = value
    elif isinstance(value, str) and (m := re.fullmatch(r"(\d+)\s*(Mi|Gi)?", value.strip())):
        result = int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1)
    else:
        raise ValueError(f"{value!r} is not a memory amount (MiB such as 512 or '512Mi')")
    if result <= 0:
        raise ValueError("must be positive")
    return result


class _Resources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cpu: int = 100
    memory: int = 128

    @field_validator("cpu", mode="before")
    @classmethod
    def _cpu(cls, value: Any) -> int:
        return _cpu_millicores(value)

    @field_validator("memory", mode="before")
    @classmethod
    def _memory(cls, value: Any) -> int:
        return _memory_mib(value)


class _ContainerResources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requests: _Resources = _Resources()
    limits: _Resources | None = None
    use_gpu: bool = False


class _Dependency(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requirements_file: str | None = None
    dockerfile: str | None = None
    docker_image: str | None = None


class _Style(BaseModel):
    model_config = ConfigDict(extra="allow")
    node_label: str | None = None
    node_type: Literal["default", "source", "sink"] | None = None
    node_style: dict[str, Any] | None = None
    use_icon: bool | None = None
    useIcon: bool | None = None  # Domino's older spelling
    icon_class_name: str | None = None
    icon_style: dict[str, Any] | None = None
    iconStyle: dict[str, Any] | None = None  # Domino's older spelling


class PieceMetadataFile(BaseModel):
    """What a hand-written ``metadata.json`` may contain (unknown keys are kept, with a warning)."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    description: str | None = None
    dependency: _Dependency | None = None
    container_resources: _ContainerResources | None = None
    tags: list[str] = []
    style: _Style | None = None


# ----------------------------------------------------------------------------------------- config


def read_repository_config(repo_dir: str | Path) -> tuple[dict[str, Any], list[RepositoryError], list[RepositoryError]]:
    """Read ``config.toml`` → (normalised config, errors, warnings)."""
    path = Path(repo_dir) / CONFIG_FILE
    errors: list[RepositoryError] = []
    warnings: list[RepositoryError] = []

    def err(fld: str | None, msg: str) -> None:
        errors.append(RepositoryError(CONFIG_FILE, fld, msg))

    if not path.is_file():
        err(None, "missing file (needs a [repository] table with REPOSITORY_NAME, VERSION, REGISTRY_NAME)")
        return {}, errors, warnings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        err(None, f"cannot parse TOML: {exc}")
        return {}, errors, warnings
    section = data.get("repository")
    if not isinstance(section, dict):
        err("repository", "missing [repository] table")
        section = {}

    def get(key: str) -> tuple[Any, str]:
        if key in section:
            return section[key], f"repository.{key}"
        for name, table in data.items():  # Domino's template kept REGISTRY_NAME under [dockerhub]
            if isinstance(table, dict) and key in table:
                warnings.append(RepositoryError(CONFIG_FILE, f"{name}.{key}", "expected in [repository]"))
                return table[key], f"{name}.{key}"
        return None, f"repository.{key}"

    config: dict[str, Any] = {}
    checks = (
        ("REPOSITORY_NAME", REPOSITORY_NAME_RE, "letters, digits, '_', '-', '.'; starting with a letter or digit"),
        ("VERSION", VERSION_RE, "a version such as 0.1.0"),
        ("REGISTRY_NAME", REGISTRY_RE, "a container registry owner such as my-org or ghcr.io/my-org"),
    )
    for key, pattern, expected in checks:
        value, where = get(key)
        if value is None:
            err(where, "required")
        elif not isinstance(value, str) or not pattern.fullmatch(value):
            err(where, f"{value!r} is not valid: expected {expected}")
        else:
            config[key] = value
    for key in ("REPOSITORY_LABEL", "DESCRIPTION"):
        value, where = get(key)
        if value is not None and not isinstance(value, str):
            err(where, "must be a string")
        elif value is not None:
            config[key] = value
    if "REPOSITORY_LABEL" not in config and "REPOSITORY_NAME" in config:
        warnings.append(RepositoryError(CONFIG_FILE, "repository.REPOSITORY_LABEL", "missing; using REPOSITORY_NAME"))
        config["REPOSITORY_LABEL"] = config["REPOSITORY_NAME"]
    config.setdefault("DESCRIPTION", "")
    return config, errors, warnings


# ----------------------------------------------------------------------------------------- pieces


def _deep_update(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = value
    return base


def _safe_dependency_file(name: str) -> bool:
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts and name not in ("", ".")


class _PieceCompiler:
    """Collects errors for one piece folder and builds its compiled metadata."""

    def __init__(self, repo: Path, piece_dir: Path, dependencies_dir: Path) -> None:
        self.repo = repo
        self.dir = piece_dir
        self.name = piece_dir.name
        self.dependencies_dir = dependencies_dir
        self.errors: list[RepositoryError] = []
        self.warnings: list[RepositoryError] = []
        self.secrets: list[str] = []

    def rel(self, filename: str | None = None) -> str:
        path = self.dir / filename if filename else self.dir
        return path.relative_to(self.repo).as_posix()

    def error(self, filename: str | None, fld: str | None, message: str) -> None:
        self.errors.append(RepositoryError(self.rel(filename), fld, message))

    def warn(self, filename: str | None, fld: str | None, message: str) -> None:
        self.warnings.append(RepositoryError(self.rel(filename), fld, message))

    # piece.py is checked without importing it: its dependencies may be absent where we compile.
    def check_piece_file(self) -> str | None:
        path = self.dir / "piece.py"
        if not path.is_file():
            self.error("piece.py", None, f"missing file (must define class {self.name}(BasePiece))")
            return None
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError as exc:
            self.error("piece.py", f"line {exc.lineno}", f"syntax error: {exc.msg}")
            return None
        classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        node = classes.get(self.name)
        if node is None:
            found = ", ".join(sorted(classes)) or "none"
            self.error("piece.py", "class", f"no class named {self.name} (folder name); classes found: {found}")
            return None
        methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        base_names = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
        if "piece_function" not in methods and base_names <= {"BasePiece"}:
            self.error("piece.py", f"{self.name}.piece_function", "not defined")
        if not base_names:
            self.error("piece.py", f"{self.name}", "must subclass BasePiece")
        return ast.get_docstring(node)

    def check_models(self) -> dict[str, Any] | None:
        """Import models.py and generate the three schemas."""
        if not (self.dir / "models.py").is_file():
            self.error("models.py", None, "missing file (must define InputModel and OutputModel)")
            return None
        try:
            module = import_piece_module(self.dir, "models")
        except PieceLoadError as exc:
            self.error("models.py", None, exc.message)
            return None
        finally:
            unload_piece(piece_package_name(self.dir))
        schemas: dict[str, Any] = {}
        for attr, key, required in (
            ("InputModel", "input_schema", True),
            ("OutputModel", "output_schema", True),
            ("SecretsModel", "secrets_schema", False),
        ):
            model = getattr(module, attr, None)
            if model is None:
                if required:
                    self.error("models.py", attr, "not defined")
                schemas[key] = None
                continue
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                self.error("models.py", attr, "must be a pydantic BaseModel subclass")
                continue
            try:
                schemas[key] = model.model_json_schema()
            except Exception as exc:
                self.error("models.py", attr, f"cannot generate a JSON schema: {exc}")
        if isinstance(schemas.get("input_schema"), dict):
            self._check_ui_hints(schemas["input_schema"])
        if isinstance(schemas.get("secrets_schema"), dict):
            self.secrets = sorted(schemas["secrets_schema"].get("properties", {}))
        return schemas if len(schemas) == 3 else None

    def _check_ui_hints(self, schema: dict[str, Any]) -> None:
        def check(props: dict[str, Any], prefix: str) -> None:
            for name, prop in props.items():
                if not isinstance(prop, dict):
                    continue
                where = f"{prefix}.{name}"
                upstream = prop.get("from_upstream")
                if upstream is not None and upstream not in FROM_UPSTREAM_VALUES:
                    self.error(
                        "models.py", f"{where}.from_upstream", f"{upstream!r} is not one of {FROM_UPSTREAM_VALUES}"
                    )
                widget = prop.get("widget")
                if widget is not None and not (isinstance(widget, str) and WIDGET_RE.fullmatch(widget)):
                    self.warn("models.py", f"{where}.widget", f"unknown widget {widget!r}; the editor ignores it")

        check(schema.get("properties", {}), "InputModel")
        for def_name, definition in schema.get("$defs", {}).items():
            if isinstance(definition, dict):
                check(definition.get("properties", {}), def_name)

    def read_metadata(self) -> PieceMetadataFile | None:
        path = self.dir / "metadata.json"
        if not path.is_file():
            return PieceMetadataFile()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            self.error("metadata.json", f"line {exc.lineno}", f"invalid JSON: {exc.msg}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.error("metadata.json", None, f"cannot read: {exc}")
            return None
        if not isinstance(raw, dict):
            self.error("metadata.json", None, "must be a JSON object")
            return None
        for key in GENERATED_FIELDS:
            if key in raw:
                self.warn("metadata.json", key, "generated by compile; the value in metadata.json is ignored")
                raw.pop(key)
        try:
            meta = PieceMetadataFile.model_validate(raw)
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                self.error("metadata.json", format_loc(tuple(e["loc"])), str(e["msg"]))
            return None
        for key in sorted(meta.model_extra or {}):
            self.warn("metadata.json", key, "unknown field; kept as is")
        return meta

    def check_metadata(self, meta: PieceMetadataFile) -> None:
        if meta.name is not None and meta.name != self.name:
            self.error("metadata.json", "name", f"{meta.name!r} must equal the folder name {self.name!r}")
        dep = meta.dependency
        if dep is not None:
            if dep.requirements_file and dep.dockerfile:
                self.error("metadata.json", "dependency", "give requirements_file or dockerfile, not both")
            for key in ("requirements_file", "dockerfile"):
                value = getattr(dep, key)
                if not value or value == "default":
                    continue
                if not _safe_dependency_file(value):
                    self.error("metadata.json", f"dependency.{key}", f"{value!r} must be a file name in dependencies/")
                elif not (self.dependencies_dir / value).is_file():
                    rel = (self.dependencies_dir / value).relative_to(self.repo).as_posix()
                    self.error("metadata.json", f"dependency.{key}", f"file {rel} does not exist")
        resources = meta.container_resources
        if resources is not None and resources.limits is not None:
            for res in ("cpu", "memory"):
                if getattr(resources.limits, res) < getattr(resources.requests, res):
                    self.error(
                        "metadata.json",
                        f"container_resources.limits.{res}",
                        f"must be >= container_resources.requests.{res}",
                    )

    def compile(self, source_url: str | None) -> dict[str, Any] | None:
        docstring = self.check_piece_file()
        schemas = self.check_models()
        meta = self.read_metadata()
        if meta is not None:
            self.check_metadata(meta)
        if self.errors or meta is None or schemas is None:
            return None
        description = meta.description or docstring
        if not description:
            self.warn("metadata.json", "description", "missing (and the class has no docstring)")
        raw = meta.model_dump(exclude_unset=True, exclude_none=True)
        dependency = dict(DEFAULT_DEPENDENCY)
        for key in ("requirements_file", "dockerfile", "docker_image"):
            value = raw.get("dependency", {}).get(key)
            if value and value != "default":
                dependency[key] = value
        resources = copy.deepcopy(DEFAULT_CONTAINER_RESOURCES)
        if meta.container_resources is not None:
            cr = meta.container_resources
            resources["requests"] = cr.requests.model_dump()
            resources["limits"] = (cr.limits or cr.requests).model_dump()
            resources["use_gpu"] = cr.use_gpu
        style = copy.deepcopy(DEFAULT_STYLE)
        style["node_label"] = self.name
        _deep_update(style, raw.get("style", {}))
        compiled = {k: v for k, v in raw.items() if k not in ("dependency", "container_resources", "style")}
        compiled.update(
            name=self.name,
            description=description or "",
            dependency=dependency,
            container_resources=resources,
            tags=list(meta.tags),
            style=style,
            **schemas,
            source_url=f"{source_url.rstrip('/')}/tree/main/pieces/{self.name}" if source_url else None,
        )
        return compiled


def _dependency_groups(
    config: dict[str, Any], compiled: dict[str, dict[str, Any]], secrets: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """Group pieces that share a dependency definition; one image per group."""
    groups: dict[str, dict[str, Any]] = {}
    keys: dict[tuple[Any, ...], str] = {}
    for name in sorted(compiled):
        dep = compiled[name]["dependency"]
        key = (dep.get("requirements_file"), dep.get("dockerfile"), dep.get("docker_image"))
        group = keys.get(key)
        if group is None:
            group = keys[key] = f"group{len(keys)}"
            image = dep.get("docker_image") or image_name(
                str(config.get("REGISTRY_NAME", "")), str(config.get("REPOSITORY_NAME", "")),
                str(config.get("VERSION", "")), group,
            )  # fmt: skip
            groups[group] = {"dependency": dict(dep), "pieces": [], "secrets": [], "source_image": image}
        groups[group]["pieces"].append(name)
        groups[group]["secrets"] = sorted(set(groups[group]["secrets"]) | set(secrets.get(name, [])))
    return groups


def _discover(repo: Path, result: CompileResult) -> list[Path]:
    """Read config.toml and list the piece folders to compile, recording layout errors in ``result``."""
    if not repo.is_dir():
        result.errors.append(RepositoryError(".", None, f"repository folder {repo} does not exist"))
        return []
    result.config, errors, warnings = read_repository_config(repo)
    result.errors += errors
    result.warnings += warnings
    pieces_dir = repo / "pieces"
    if not pieces_dir.is_dir():
        result.errors.append(RepositoryError("pieces", None, "missing folder (one sub-folder per piece)"))
        return []
    found: list[Path] = []
    seen = 0
    for piece_dir in sorted(p for p in pieces_dir.iterdir() if p.is_dir()):
        if piece_dir.name.startswith((".", "_")):
            continue
        rel = piece_dir.relative_to(repo).as_posix()
        if not piece_dir.name.endswith("Piece"):
            if (piece_dir / "piece.py").exists() or (piece_dir / "models.py").exists():
                result.errors.append(RepositoryError(rel, "name", "piece folder names must end in 'Piece'"))
            continue
        seen += 1
        if not piece_dir.name.isidentifier():
            result.errors.append(RepositoryError(rel, "name", "must be a valid Python identifier"))
            continue
        found.append(piece_dir)
    if seen == 0:
        result.errors.append(RepositoryError("pieces", None, "no pieces found (folders named <Name>Piece)"))
    return found


def _declared_dependency(repo: Path, piece_dir: Path) -> dict[str, Any]:
    """The piece's dependency as metadata.json declares it, read as data (nothing is imported)."""
    meta = _PieceCompiler(repo, piece_dir, repo / "dependencies").read_metadata()
    dependency = dict(DEFAULT_DEPENDENCY)
    if meta is not None and meta.dependency is not None:
        for key, value in meta.dependency.model_dump().items():
            if value and value != "default":
                dependency[key] = value
    return dependency


def _secrets_of(compiled: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    secrets = {}
    for name, meta in compiled.items():
        schema = meta.get("secrets_schema")
        secrets[name] = sorted(schema.get("properties", {})) if isinstance(schema, dict) else []
    return secrets


#: A child compiling several pieces announces each on stderr, so a time-out can name the piece.
PROGRESS_PREFIX = "domino-compile: piece "
_TIMED_OUT = RepositoryError(".", None, "the compile time limit was reached")

#: (group name, the group's ``dependency``) -> the interpreter of that group's environment.
Interpreter = Callable[[str, dict[str, Any]], str]


def _compile_group_in_child(
    repo: Path,
    pieces: list[str],
    python: str,
    source_url: str | None,
    timeout: float,
    env: dict[str, str],
    cwd: Path,
    limit_name: str,
    command_prefix: Sequence[str] = (),
) -> CompileResult:
    """Compile ``pieces`` in ``python``; the child's output is the JSON of a :class:`CompileResult`."""
    cmd = [*command_prefix, python, "-m", "airflow_domino_sdk.repository", str(repo), "--json"]
    cmd += [arg for name in pieces for arg in ("--piece", name)]
    if source_url:
        cmd += ["--source-url", source_url]
    where = f"pieces/{pieces[0]}" if len(pieces) == 1 else "pieces"
    label = ", ".join(pieces)
    try:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        return CompileResult(str(repo), errors=[RepositoryError(where, None, f"cannot run {python}: {exc}")])
    try:
        stdout, stderr = proc.communicate(timeout=max(timeout, 0.1))
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        _stdout, stderr = proc.communicate()
        current = [line[len(PROGRESS_PREFIX) :] for line in stderr.splitlines() if line.startswith(PROGRESS_PREFIX)]
        if current:  # the piece whose models.py was being imported when the limit struck
            where, label = f"pieces/{current[-1]}/models.py", current[-1]
        message = f"compiling {label} did not finish within the time limit ({limit_name}) and was stopped"
        return CompileResult(str(repo), errors=[RepositoryError(where, None, message)], warnings=[_TIMED_OUT])
    try:
        return CompileResult.from_dict(json.loads(stdout))
    except (ValueError, KeyError, TypeError) as exc:
        detail = stderr.strip()[-2000:]
        message = f"compiling {label} in {python} failed (exit {proc.returncode}): {exc}" + (
            f"\n{detail}" if detail else ""
        )
        return CompileResult(str(repo), errors=[RepositoryError(where, None, message)])


def _compile_isolated(
    repo: Path,
    source_url: str | None,
    interpreter: Interpreter,
    timeout: float,
    extra_env_names: Iterable[str],
    limit_name: str,
    command_prefix: Sequence[str] = (),
) -> CompileResult:
    """Compile each dependency group's pieces in that group's interpreter, with an allow-listed environment.

    Groups come from each piece's metadata.json, read as data here; its ``models.py`` is imported
    only in the child, which gets a fresh HOME and TMPDIR and sees only the SDK on PYTHONPATH.
    ``timeout`` bounds the whole compile (all groups together).
    """
    result = CompileResult(repo_dir=str(repo))
    piece_dirs = _discover(repo, result)
    # Named as _dependency_groups names them (first appearance in piece-name order).
    groups: dict[tuple[Any, ...], tuple[str, dict[str, Any], list[str]]] = {}
    for piece_dir in piece_dirs:
        dependency = _declared_dependency(repo, piece_dir)
        key = (dependency.get("requirements_file"), dependency.get("dockerfile"), dependency.get("docker_image"))
        groups.setdefault(key, (f"group{len(groups)}", dependency, []))[2].append(piece_dir.name)
    deadline = time.monotonic() + timeout
    compiled: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="domino-compile-") as scratch:
        home, tmp, sdk = Path(scratch) / "home", Path(scratch) / "tmp", Path(scratch) / "sdk"
        for folder in (home, tmp, sdk):
            folder.mkdir()
        (sdk / "airflow_domino_sdk").symlink_to(Path(__file__).resolve().parent, target_is_directory=True)
        env = sandbox_environ(home=home, tmpdir=tmp, pythonpath=[sdk], extra_names=extra_env_names)
        for group, dependency, names in groups.values():
            python = interpreter(group, dependency)
            child = _compile_group_in_child(
                repo,
                names,
                python,
                source_url,
                deadline - time.monotonic(),
                env,
                Path(scratch),
                limit_name,
                command_prefix,
            )
            compiled.update({k: v for k, v in child.compiled_metadata.items() if k in names})
            result.errors += [e for e in child.errors if e not in result.errors]
            if _TIMED_OUT in child.warnings:
                break  # the limit covers the whole compile: later groups are not started
            result.warnings += [w for w in child.warnings if w not in result.warnings]
    result.compiled_metadata = dict(sorted(compiled.items()))
    result.dependencies_map = _dependency_groups(result.config, result.compiled_metadata, _secrets_of(compiled))
    return result


def compile_repository(
    repo_dir: str | os.PathLike[str],
    *,
    source_url: str | None = None,
    python: str | Interpreter | None = None,
    timeout: float = 300,
    extra_env_names: Iterable[str] = (),
    pieces: Collection[str] | None = None,
    limit_name: str | None = None,
    command_prefix: Sequence[str] = (),
) -> CompileResult:
    """Validate a repository and compute its compiled metadata and dependencies map.

    Writes nothing. Every problem is reported (the compiler goes on after errors), each naming
    the file (relative to the repository) and the field.

    With ``python`` (an interpreter, or a function from a dependency group's name and ``dependency``
    to the interpreter of that group's environment) the pieces' ``models.py`` never runs in this process:
    each group is compiled in its own interpreter with the allow-listed environment of
    :mod:`airflow_domino_sdk.sandbox_env` (plus ``extra_env_names``), all within ``timeout`` seconds.
    ``limit_name`` is how the time-limit error names the limit (e.g. the option that sets it);
    ``command_prefix`` wraps each child (e.g. :func:`airflow_domino_sdk.sandbox_env.isolation_prefix`).
    ``pieces`` limits an in-process compile to those piece folders (what each child does).
    """
    repo = Path(repo_dir).resolve()
    if python:
        interpreter: Interpreter = (lambda _group, _dependency: python) if isinstance(python, str) else python
        limit = limit_name or f"{timeout:g}s"
        return _compile_isolated(repo, source_url, interpreter, timeout, extra_env_names, limit, command_prefix)
    result = CompileResult(repo_dir=str(repo))
    compiled: dict[str, dict[str, Any]] = {}
    secrets: dict[str, list[str]] = {}
    for piece_dir in _discover(repo, result):
        if pieces is not None and piece_dir.name not in pieces:
            continue
        if pieces is not None:
            print(f"{PROGRESS_PREFIX}{piece_dir.name}", file=sys.stderr, flush=True)
        compiler = _PieceCompiler(repo, piece_dir, repo / "dependencies")
        metadata = compiler.compile(source_url)
        result.errors += compiler.errors
        result.warnings += compiler.warnings
        if metadata is not None:
            compiled[piece_dir.name] = metadata
            secrets[piece_dir.name] = compiler.secrets
    result.compiled_metadata = compiled
    result.dependencies_map = _dependency_groups(result.config, compiled, secrets)
    return result


def write_compiled_files(result: CompileResult) -> list[Path]:
    """Write the two ``.domino/`` files of a clean compile; refuses when there are errors."""
    if not result.ok:
        raise ValueError(f"refusing to write compiled files: {len(result.errors)} error(s)")
    folder = Path(result.repo_dir) / DOMINO_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, data in (
        (COMPILED_METADATA_FILE, result.compiled_metadata),
        (DEPENDENCIES_MAP_FILE, result.dependencies_map),
    ):
        path = Path(result.repo_dir) / name
        path.write_text(json.dumps(data, indent=4) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate and compile a pieces repository.")
    parser.add_argument("repo_dir")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (never writes)")
    parser.add_argument("--source-url", default=None)
    parser.add_argument("--piece", action="append", default=None, help="compile only this piece (repeatable)")
    args = parser.parse_args(argv)
    # Piece modules may print at import; keep stdout for the JSON document.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        result = compile_repository(args.repo_dir, source_url=args.source_url, pieces=args.piece)
    finally:
        sys.stdout = real_stdout
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        for problem in result.errors:
            print(f"ERROR {problem}")
        for problem in result.warnings:
            print(f"warning {problem}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
