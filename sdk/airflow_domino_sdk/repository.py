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
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from airflow_domino_sdk.repository_metadata import (
    COMPILED_METADATA_FILE,
    DEPENDENCIES_MAP_FILE,
    DOMINO_DIR,
    REPOSITORY_NAME_RE,
    CompileResult,
    RepositoryError,
    read_repository_config,
)
from airflow_domino_sdk.repository_pieces import (
    PieceCompiler,
    declared_dependency,
    dependency_groups,
    discover_pieces,
    secrets_of,
)
from airflow_domino_sdk.sandbox_env import sandbox_environ

__all__ = [
    "COMPILED_METADATA_FILE",
    "DEPENDENCIES_MAP_FILE",
    "REPOSITORY_NAME_RE",
    "CompileResult",
    "RepositoryError",
    "compile_repository",
    "read_repository_config",
    "write_compiled_files",
]

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
    piece_dirs = discover_pieces(repo, result)
    # Named as dependency_groups names them (first appearance in piece-name order).
    groups: dict[tuple[Any, ...], tuple[str, dict[str, Any], list[str]]] = {}
    for piece_dir in piece_dirs:
        dependency = declared_dependency(repo, piece_dir)
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
    result.dependencies_map = dependency_groups(result.config, result.compiled_metadata, secrets_of(compiled))
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
    for piece_dir in discover_pieces(repo, result):
        if pieces is not None and piece_dir.name not in pieces:
            continue
        if pieces is not None:
            print(f"{PROGRESS_PREFIX}{piece_dir.name}", file=sys.stderr, flush=True)
        compiler = PieceCompiler(repo, piece_dir, repo / "dependencies")
        metadata = compiler.compile(source_url)
        result.errors += compiler.errors
        result.warnings += compiler.warnings
        if metadata is not None:
            compiled[piece_dir.name] = metadata
            secrets[piece_dir.name] = compiler.secrets
    result.compiled_metadata = compiled
    result.dependencies_map = dependency_groups(result.config, compiled, secrets)
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
