"""Compiling the pieces of a repository: discovery, each piece's models and metadata, dependency groups."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from airflow_domino_sdk.errors import PieceLoadError, format_loc
from airflow_domino_sdk.images import image_name
from airflow_domino_sdk.loader import import_piece_module, piece_package_name, unload_piece
from airflow_domino_sdk.repository_metadata import (
    DEFAULT_CONTAINER_RESOURCES,
    DEFAULT_DEPENDENCY,
    DEFAULT_STYLE,
    FROM_UPSTREAM_VALUES,
    GENERATED_FIELDS,
    WIDGET_RE,
    CompileResult,
    PieceMetadataFile,
    RepositoryError,
    read_repository_config,
)

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


class PieceCompiler:
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


def dependency_groups(
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


def discover_pieces(repo: Path, result: CompileResult) -> list[Path]:
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


def declared_dependency(repo: Path, piece_dir: Path) -> dict[str, Any]:
    """The piece's dependency as metadata.json declares it, read as data (nothing is imported)."""
    meta = PieceCompiler(repo, piece_dir, repo / "dependencies").read_metadata()
    dependency = dict(DEFAULT_DEPENDENCY)
    if meta is not None and meta.dependency is not None:
        for key, value in meta.dependency.model_dump().items():
            if value and value != "default":
                dependency[key] = value
    return dependency


def secrets_of(compiled: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    secrets = {}
    for name, meta in compiled.items():
        schema = meta.get("secrets_schema")
        secrets[name] = sorted(schema.get("properties", {})) if isinstance(schema, dict) else []
    return secrets


#: A child compiling several pieces announces each on stderr, so a time-out can name the piece.
