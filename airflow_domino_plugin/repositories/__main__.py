"""Install a piece repository from the command line, with progress, straight into Airflow's database.

    python -m airflow_domino_plugin.repositories install PATH_OR_URL [--type local|git|github]
        [--version TAG] [--if-missing]

Runs where ``airflow db migrate`` runs (it uses Airflow's configured database); the REST API's
``POST /repositories/installs`` does the same from a client.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

from airflow_domino_plugin import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airflow_domino_plugin.repositories")
    sub = parser.add_subparsers(dest="command", required=True)
    install = sub.add_parser("install", help="install one repository version")
    install.add_argument("source", help="folder path, git URL, or owner/name on GitHub")
    install.add_argument("--type", choices=["local", "git", "github"], default="local")
    install.add_argument("--version", default="", help="tag to install (git/GitHub)")
    install.add_argument("--if-missing", action="store_true", help="succeed quietly when already installed")
    install.add_argument("--user", default="cli")
    args = parser.parse_args(argv)
    # Airflow 3.3's logging config sets this logger to WARN; on 3.1 and 3.2 importing Airflow's models
    # imports alembic, which logs one INFO line per alembic plugin to stderr ahead of our own messages.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # On Airflow 3.1 the standard provider's branch module (operators/flow.py builds on it) reaches
    # BaseBranchOperator through Airflow's deprecated alias `airflow.operators.branch`, which warns on
    # stderr; 3.2 and 3.3 have airflow.sdk.bases.branch and never take that path.
    warnings.filterwarnings("ignore", message=r"The `airflow\.operators\.", category=FutureWarning)

    from airflow_domino_plugin import airflow_adapter
    from airflow_domino_plugin.repositories.errors import InstallError
    from airflow_domino_plugin.repositories.installer import AlreadyInstalled
    from airflow_domino_plugin.repositories.installer import install as run_install
    from airflow_domino_plugin.repositories.sources import make_source

    def progress(percent: int, message: str) -> None:
        print(f"[{percent:3d}%] {message}", flush=True)

    with airflow_adapter.metadata_session() as session:
        try:
            installed = run_install(
                session,
                make_source(args.type, args.source),
                args.version,
                root=Path(config.get("repositories_path")),
                installed_by=args.user,
                progress=progress,
            )
        except AlreadyInstalled as exc:
            print(exc.message)
            return 0 if args.if_missing else 1
        except InstallError as exc:
            print(f"Install failed: {exc.message}", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem.get('file', '')}: {problem.get('field', '')}: {problem.get('message', '')}",
                      file=sys.stderr)  # fmt: skip
            return 1
    from airflow_domino_plugin.repositories import snapshots

    folder = Path(config.get("repositories_path")) / installed.name / installed.version
    uri = snapshots.publish(folder, installed.name, installed.version)
    print(f"Stored the snapshot for workers on other machines: {uri}")
    for warning in installed.warnings:
        print(f"warning: {warning}")
    print(f"Installed {installed.name} {installed.version}: {', '.join(installed.pieces)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
