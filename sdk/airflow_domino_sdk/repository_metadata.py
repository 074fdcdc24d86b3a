"""What a pieces repository declares: ``config.toml``, each piece's ``metadata.json``, and the result
types of compiling it (:class:`RepositoryError`, :class:`CompileResult`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

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
