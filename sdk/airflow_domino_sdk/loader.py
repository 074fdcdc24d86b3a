"""Import a piece class and its models from a piece folder (``pieces/<Name>Piece/``).

Each folder is imported as its own package under a unique, path-derived module name, so that two
pieces (or two versions of one repository) never share ``sys.modules`` entries, while relative
imports inside the piece (``from .models import InputModel``) keep working.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import json
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from airflow_domino_sdk.compat import domino_compat
from airflow_domino_sdk.errors import PieceLoadError
from airflow_domino_sdk.piece_core import PieceCore

__all__ = [
    "LoadedPiece",
    "PieceModels",
    "import_piece_module",
    "load_piece",
    "load_piece_models",
    "piece_from_class",
    "piece_package_name",
    "unload_piece",
]

MODULE_PREFIX = "_domino_piece_"


@dataclass(frozen=True)
class PieceModels:
    """The three model classes found in a piece's ``models.py``."""

    input_model: type[BaseModel]
    output_model: type[BaseModel]
    secrets_model: type[BaseModel] | None


@dataclass(frozen=True)
class LoadedPiece:
    """Everything needed to run a piece: its class, models and metadata."""

    name: str
    piece_class: type[PieceCore]
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    secrets_model: type[BaseModel] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    piece_dir: Path | None = None
    module_name: str | None = None


def piece_package_name(piece_dir: str | Path) -> str:
    """Unique package name for a piece folder: ``_domino_piece_<hash of path>_<FolderName>``."""
    path = Path(piece_dir).resolve()
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    safe = "".join(c if c.isalnum() or c == "_" else "_" for c in path.name)
    return f"{MODULE_PREFIX}{digest}_{safe}"


def unload_piece(package: str) -> None:
    """Drop a piece package and its submodules from ``sys.modules``."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


def _fresh_package(piece_dir: Path) -> str:
    package = piece_package_name(piece_dir)
    unload_piece(package)  # always reflect what is on disk now
    init = piece_dir / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(package, init, submodule_search_locations=[str(piece_dir)])
    else:
        spec = importlib.machinery.ModuleSpec(package, None, is_package=True)
        spec.submodule_search_locations = [str(piece_dir)]
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    if spec.loader is not None:
        try:
            spec.loader.exec_module(module)
        except BaseException:
            unload_piece(package)
            raise
    return package


def _describe_import_error(exc: BaseException, file: Path) -> str:
    """Short 'what and where' for an import failure, pointing at the piece's own line if possible."""
    if isinstance(exc, SyntaxError):
        return f"syntax error in {file.name} line {exc.lineno}: {exc.msg}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).parent == file.parent]
    where = f" ({Path(frames[-1].filename).name} line {frames[-1].lineno})" if frames else ""
    return f"cannot import {file.name}{where}: {type(exc).__name__}: {exc}"


def _import(package: str, submodule: str, piece_dir: Path, piece_name: str) -> ModuleType:
    file = piece_dir / f"{submodule}.py"
    if not file.is_file():
        raise PieceLoadError(piece_name, f"missing {file}")
    importlib.invalidate_caches()
    try:
        return importlib.import_module(f"{package}.{submodule}")
    except Exception as exc:
        raise PieceLoadError(piece_name, _describe_import_error(exc, file)) from exc


def _model_from(module: ModuleType, attr: str, piece_name: str, required: bool) -> type[BaseModel] | None:
    value = getattr(module, attr, None)
    if value is None:
        if required:
            raise PieceLoadError(piece_name, f"models.py defines no {attr}")
        return None
    if not (isinstance(value, type) and issubclass(value, BaseModel)):
        raise PieceLoadError(piece_name, f"models.py: {attr} is not a pydantic BaseModel subclass")
    return value


def _models_from_module(module: ModuleType, piece_name: str) -> PieceModels:
    input_model = _model_from(module, "InputModel", piece_name, True)
    output_model = _model_from(module, "OutputModel", piece_name, True)
    assert input_model is not None
    assert output_model is not None
    return PieceModels(input_model, output_model, _model_from(module, "SecretsModel", piece_name, False))


def _read_metadata(piece_dir: Path, piece_name: str) -> dict[str, Any]:
    path = piece_dir / "metadata.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PieceLoadError(piece_name, f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise PieceLoadError(piece_name, f"{path} must hold a JSON object")
    return data


def import_piece_module(piece_dir: str | Path, submodule: str) -> ModuleType:
    """Import one module (``models``/``piece``) of a piece folder under its unique package name."""
    path = Path(piece_dir).resolve()
    with domino_compat():
        try:
            package = _fresh_package(path)
        except Exception as exc:
            raise PieceLoadError(path.name, _describe_import_error(exc, path / "__init__.py")) from exc
        return _import(package, submodule, path, path.name)


def load_piece_models(piece_dir: str | Path) -> PieceModels:
    """Import only ``models.py`` (the compiler's view: ``piece.py`` may need absent dependencies)."""
    path = Path(piece_dir).resolve()
    with domino_compat():
        package = _fresh_package(path)
        module = _import(package, "models", path, path.name)
    return _models_from_module(module, path.name)


def load_piece(piece_dir: str | Path, piece_name: str | None = None) -> LoadedPiece:
    """Import ``piece.py`` and ``models.py`` of a piece folder and return the class and its models.

    ``piece_name`` defaults to the folder name; the class of that name must exist in ``piece.py``.
    """
    path = Path(piece_dir).resolve()
    name = piece_name or path.name
    if not path.is_dir():
        raise PieceLoadError(name, f"piece folder {path} does not exist")
    with domino_compat():
        try:
            package = _fresh_package(path)
        except Exception as exc:
            raise PieceLoadError(name, _describe_import_error(exc, path / "__init__.py")) from exc
        models_module = _import(package, "models", path, name)
        piece_module = _import(package, "piece", path, name)
    piece_class = getattr(piece_module, name, None)
    if not (isinstance(piece_class, type) and issubclass(piece_class, PieceCore)):
        found = sorted(n for n, v in vars(piece_module).items() if isinstance(v, type) and issubclass(v, PieceCore))
        raise PieceLoadError(name, f"piece.py defines no BasePiece subclass named {name} (found: {found or 'none'})")
    models = _models_from_module(models_module, name)
    metadata = _read_metadata(path, name)
    piece_class.set_metadata(metadata)
    return LoadedPiece(
        name=name,
        piece_class=piece_class,
        input_model=piece_class.InputModel or models.input_model,
        output_model=piece_class.OutputModel or models.output_model,
        secrets_model=piece_class.SecretsModel or models.secrets_model,
        metadata=metadata,
        piece_dir=path,
        module_name=package,
    )


def _annotation_model(func: Any, param: str) -> type[BaseModel] | None:
    try:
        hints = inspect.get_annotations(func, eval_str=True)
    except Exception:
        return None
    hint = hints.get(param)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint
    for arg in getattr(hint, "__args__", ()):  # Optional[SecretsModel] / SecretsModel | None
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def piece_from_class(piece_class: type[PieceCore]) -> LoadedPiece:
    """Describe an already-imported piece class (used by tests that pass the class directly).

    Models come from the class attributes, else from the ``models`` module next to the class's
    module, else from the annotations of ``piece_function``.
    """
    name = piece_class.__name__
    module = sys.modules.get(piece_class.__module__)
    sibling: PieceModels | None = None
    package = piece_class.__module__.rpartition(".")[0]
    if package:
        try:
            sibling = _models_from_module(importlib.import_module(f"{package}.models"), name)
        except (ImportError, PieceLoadError):
            sibling = None
    if sibling is None and module is not None and getattr(module, "__file__", None):
        models_file = Path(module.__file__ or "").parent / "models.py"
        if models_file.is_file() and Path(module.__file__ or "").name != "models.py":
            try:
                sibling = load_piece_models(models_file.parent)
            except PieceLoadError:
                sibling = None
    func = piece_class.piece_function
    input_model = piece_class.InputModel or (sibling and sibling.input_model) or _annotation_model(func, "input_data")
    output_model = piece_class.OutputModel or (sibling and sibling.output_model) or _annotation_model(func, "return")
    secrets_model = (
        piece_class.SecretsModel or (sibling and sibling.secrets_model) or _annotation_model(func, "secrets_data")
    )
    if input_model is None or output_model is None:
        raise PieceLoadError(
            name,
            "cannot find InputModel/OutputModel: set them as class attributes, put them in a sibling "
            "models.py, or annotate piece_function(input_data: InputModel) -> OutputModel",
        )
    metadata = dict(piece_class._metadata_)
    piece_dir = Path(module.__file__).parent if module is not None and module.__file__ else None
    return LoadedPiece(
        name=name,
        piece_class=piece_class,
        input_model=input_model,
        output_model=output_model,
        secrets_model=secrets_model,
        metadata=metadata,
        piece_dir=piece_dir,
        module_name=piece_class.__module__,
    )
