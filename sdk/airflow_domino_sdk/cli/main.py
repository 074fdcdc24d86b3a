"""``domino-pieces`` entry point.

    domino-pieces create repository NAME [--dir DIR] [--registry REG]
    domino-pieces create piece NAME [--repo DIR]
    domino-pieces compile [REPO_DIR]
    domino-pieces run PIECE --input FILE.json [--secrets FILE.json] [--repo DIR]
    domino-pieces build-images [REPO_DIR] [--base-image IMG] [--network host] [--ca-bundle FILE]
                               [--pip-config FILE] [--pip-index-url URL] [--constraint FILE]
                               [--registry URL] [--push] [--group G] [--output DIR] [--no-build]
    domino-pieces release [REPO_DIR] [--push]
    domino-pieces test [REPO_DIR] [--cache-dir DIR] [-- PYTEST_ARGS...]

argparse rather than click: the tool then needs nothing beyond the SDK's own dependency (pydantic).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from airflow_domino_sdk.cli.images import (
    DEFAULT_BASE_IMAGE,
    BuildOptions,
    ImageBuildError,
    build_images,
    docker_client,
    push_images,
    write_build_contexts,
)
from airflow_domino_sdk.cli.release import ReleaseError, release
from airflow_domino_sdk.cli.scaffold import ScaffoldError, create_piece, create_repository
from airflow_domino_sdk.cli.testenv import TestEnvError, run_tests
from airflow_domino_sdk.errors import (
    PieceError,
    PieceExecutionError,
    PieceInputError,
    PieceOutputError,
)
from airflow_domino_sdk.images import ImageNameError
from airflow_domino_sdk.repository import CompileResult, compile_repository, write_compiled_files
from airflow_domino_sdk.runtime import (
    EXIT_BAD_INPUT,
    EXIT_BAD_OUTPUT,
    EXIT_PIECE_FAILED,
    EXIT_RUNTIME_ERROR,
)
from airflow_domino_sdk.testing import find_repository, run_piece

__all__ = ["main"]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _report(result: CompileResult) -> None:
    for problem in result.errors:
        _err(f"ERROR   {problem}")
    for problem in result.warnings:
        _err(f"warning {problem}")


def _compile_checked(repo_dir: str) -> CompileResult | None:
    result = compile_repository(repo_dir)
    _report(result)
    if not result.ok:
        _err(f"{len(result.errors)} error(s) in {result.repo_dir}")
        return None
    return result


def cmd_create_repository(args: argparse.Namespace) -> int:
    try:
        repo = create_repository(
            args.name, args.dir, registry=args.registry, label=args.label, description=args.description
        )
    except ScaffoldError as exc:
        _err(f"ERROR {exc}")
        return 1
    print(f"Created pieces repository {repo}")
    return 0


def cmd_create_piece(args: argparse.Namespace) -> int:
    try:
        folder = create_piece(args.repo, args.name, args.description)
    except ScaffoldError as exc:
        _err(f"ERROR {exc}")
        return 1
    print(f"Created piece {folder}")
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    result = compile_repository(args.repo_dir, source_url=args.source_url)
    _report(result)
    if not result.ok:
        _err(f"{len(result.errors)} error(s); nothing written")
        return 1
    for path in write_compiled_files(result):
        print(f"Wrote {path}")
    print(f"Compiled {len(result.compiled_metadata)} piece(s) in {len(result.dependencies_map)} dependency group(s)")
    return 0


def _read_json_object(path: str | None, what: str) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {what} file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{what} file {path} must hold a JSON object")
    return data


def cmd_run(args: argparse.Namespace) -> int:
    candidate = Path(args.piece)
    if candidate.is_dir() and (candidate / "piece.py").is_file():
        piece_dir = candidate.resolve()
        repo = piece_dir.parent.parent
    else:
        repo = Path(args.repo).resolve() if args.repo else (find_repository(args.piece, Path.cwd()) or Path.cwd())
        piece_dir = repo / "pieces" / args.piece
        if not piece_dir.is_dir():
            _err(f"ERROR no piece {args.piece} in {repo / 'pieces'}")
            return EXIT_RUNTIME_ERROR
    try:
        inputs = _read_json_object(args.input, "input")
        secrets = _read_json_object(args.secrets, "secrets")
    except ValueError as exc:
        _err(f"ERROR {exc}")
        return EXIT_RUNTIME_ERROR
    results_dir = Path(args.results_dir) if args.results_dir else repo / "dry_run_results" / piece_dir.name
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the outputs JSON
            result = run_piece(piece_dir, inputs, secrets, results_path=results_dir)
    except PieceError as exc:
        if isinstance(exc, PieceExecutionError) and exc.__cause__ is not None:
            _err("".join(traceback.format_exception(exc.__cause__)).rstrip())
        _err(f"ERROR {exc}")
        codes = {PieceInputError: EXIT_BAD_INPUT, PieceExecutionError: EXIT_PIECE_FAILED}
        return codes.get(type(exc), EXIT_BAD_OUTPUT if isinstance(exc, PieceOutputError) else EXIT_RUNTIME_ERROR)
    print(json.dumps(result.outputs, indent=2))
    _err(f"Results folder: {result.results_path}")
    if result.display_result:
        _err(f"Display result ({result.display_result['file_type']}): {result.display_result['file_path']}")
    return 0


def cmd_build_images(args: argparse.Namespace) -> int:
    result = _compile_checked(args.repo_dir)
    if result is None:
        return 1
    options = BuildOptions(
        base_image=args.base_image,
        network_mode=args.network,
        ca_bundle=Path(args.ca_bundle) if args.ca_bundle else None,
        pip_config=Path(args.pip_config) if args.pip_config else None,
        pip_index_url=args.pip_index_url,
        pip_extra_index_urls=tuple(args.pip_extra_index_url or ()),
        constraint=Path(args.constraint) if args.constraint else None,
        registry=args.registry,
    )
    output = Path(args.output) if args.output else Path(result.repo_dir) / "build" / "images"
    try:
        contexts = write_build_contexts(result, output, options, groups=args.group)
    except (ImageBuildError, ImageNameError) as exc:
        _err(f"ERROR {exc}")
        return 1
    for ctx in contexts:
        print(f"Build context for {ctx.image}: {ctx.path}")
    if args.no_build or not contexts:
        if args.push:
            _err("ERROR --push needs the images built (drop --no-build)")
            return 1
        return 0
    client, reason = docker_client()
    if client is None:
        print(f"Not building: {reason}.")
        print("The build contexts are ready; build them with:")
        network = f" --network {args.network}" if args.network else ""
        for ctx in contexts:
            print(f"  docker build{network} -t {ctx.image} {ctx.path}")
        return 1 if args.push else 0
    failed = [(ctx, err) for ctx, err in build_images(contexts, client, options) if err]
    for ctx, err in failed:
        _err(f"ERROR building {ctx.image}: {err}")
    if failed:
        return 1
    print(f"Built {len(contexts)} image(s): {', '.join(ctx.image for ctx in contexts)}")
    if args.push:
        not_pushed = [(ctx, err) for ctx, err in push_images(contexts, client) if err]
        for ctx, err in not_pushed:
            _err(f"ERROR pushing {ctx.image}: {err}")
        if not_pushed:
            return 1
        print(f"Pushed {len(contexts)} image(s)")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    result = _compile_checked(args.repo_dir)
    if result is None:
        return 1
    try:
        tag = release(result, push=args.push, remote=args.remote)
    except ReleaseError as exc:
        _err(f"ERROR {exc}")
        return 1
    print(f"Tagged {tag}" + (f" and pushed it to {args.remote}" if args.push else ""))
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    def progress(message: str) -> None:
        print(f"domino-pieces test: {message}", flush=True)

    try:
        return run_tests(
            Path(args.repo_dir),
            args.pytest_args,
            cache_dir=Path(args.cache_dir) if args.cache_dir else None,
            progress=progress,
        )
    except TestEnvError as exc:
        _err(f"ERROR {exc}")
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="domino-pieces", description="Tools for pieces repositories.")
    sub = parser.add_subparsers(dest="command", required=True)

    create = sub.add_parser("create", help="scaffold a repository or a piece")
    create_sub = create.add_subparsers(dest="what", required=True)
    repo = create_sub.add_parser("repository", help="new pieces repository with an example piece")
    repo.add_argument("name")
    repo.add_argument("--dir", default=".", help="parent folder (default: current folder)")
    repo.add_argument("--registry", default="enter-your-registry-name", help="container registry owner")
    repo.add_argument("--label", default=None)
    repo.add_argument("--description", default=None)
    repo.set_defaults(func=cmd_create_repository)
    piece = create_sub.add_parser("piece", help="new piece in the repository")
    piece.add_argument("name", help="e.g. AddPiece ('Piece' is appended if missing)")
    piece.add_argument("--repo", default=".", help="repository folder (default: current folder)")
    piece.add_argument("--description", default=None)
    piece.set_defaults(func=cmd_create_piece)

    comp = sub.add_parser("compile", help="validate and write .domino/ files")
    comp.add_argument("repo_dir", nargs="?", default=".")
    comp.add_argument("--source-url", default=None, help="repository URL recorded in each piece's source_url")
    comp.set_defaults(func=cmd_compile)

    run = sub.add_parser("run", help="dry-run a piece in this environment")
    run.add_argument("piece", help="piece name (or a piece folder)")
    run.add_argument("--input", required=True, help="JSON file with the inputs")
    run.add_argument("--secrets", default=None, help="JSON file with the secrets")
    run.add_argument("--repo", default=None, help="repository folder (default: found from the current folder)")
    run.add_argument("--results-dir", default=None, help="default: REPO/dry_run_results/PIECE")
    run.set_defaults(func=cmd_run)

    images = sub.add_parser(
        "build-images",
        help="one image per dependency group (Python, pydantic, requirements, pieces code; no SDK)",
        description="Build (and push) one image per dependency group with the Docker engine. "
        "The package-index options apply to the install step only and stay out of the image.",
    )
    images.add_argument("repo_dir", nargs="?", default=".")
    images.add_argument("--output", default=None, help="build contexts folder (default: REPO/build/images)")
    images.add_argument("--base-image", default=DEFAULT_BASE_IMAGE, help="an image with python3 and its venv module")
    images.add_argument("--group", action="append", default=None, help="build only this group (repeatable)")
    images.add_argument("--no-build", action="store_true", help="only write the build contexts")
    images.add_argument("--network", default=None, help="network of the build containers, e.g. host")
    images.add_argument("--ca-bundle", default=None, help="CA bundle for pip and TLS while installing (PIP_CERT)")
    images.add_argument("--pip-config", default=None, help="pip configuration file used while installing")
    images.add_argument("--pip-index-url", default=None, help="package index URL (PIP_INDEX_URL)")
    images.add_argument("--pip-extra-index-url", action="append", default=None, help="extra index URL (repeatable)")
    images.add_argument("--constraint", default=None, help="pip constraints file used while installing")
    images.add_argument("--registry", default=None, help="registry URL to tag the images for, e.g. 127.0.0.1:5000")
    images.add_argument("--push", action="store_true", help="push the images (credentials: `docker login`)")
    images.set_defaults(func=cmd_build_images)

    rel = sub.add_parser("release", help="tag VERSION from config.toml (compile and git must be clean)")
    rel.add_argument("repo_dir", nargs="?", default=".")
    rel.add_argument("--push", action="store_true", help="push the tag")
    rel.add_argument("--remote", default="origin")
    rel.set_defaults(func=cmd_release)

    test = sub.add_parser(
        "test",
        help="run the repository's piece tests in a cached virtualenv with its requirements",
        description="Arguments after `--` go to pytest (default test paths: pieces/ and tests/).",
    )
    test.add_argument("repo_dir", nargs="?", default=".")
    test.add_argument("--cache-dir", default=None, help="where environments are kept (default: ~/.cache/domino-pieces)")
    test.set_defaults(func=cmd_test, pytest_args=[])
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in argv:  # `domino-pieces test REPO -- -k slug -x`: the rest belongs to pytest
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1 :]
    parser = build_parser()
    args = parser.parse_args(argv)
    if passthrough:
        if args.command != "test":
            parser.error("arguments after `--` are only for `domino-pieces test`")
        args.pytest_args = passthrough
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
