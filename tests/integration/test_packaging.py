"""``pip install`` of the built wheel into a plain Airflow 3.3.2 virtualenv registers the plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_wheel_installs_into_plain_airflow_and_registers_the_plugin(tmp_path: Path) -> None:
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(REPO))
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(REPO / "sdk"))
    [wheel] = tmp_path.glob("airflow_domino_plugin-*.whl")
    [sdk_wheel] = tmp_path.glob("airflow_domino_sdk-*.whl")
    sdk_names = set(zipfile.ZipFile(sdk_wheel).namelist())
    assert "airflow_domino_sdk/compat_path/domino/base_piece.py" in sdk_names
    assert not any(n.startswith("airflow_domino_plugin/") for n in sdk_names)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "airflow_domino_plugin/db/alembic.ini" in names
    assert any(n.startswith("airflow_domino_plugin/db/migrations/versions/") for n in names)
    assert "airflow_domino_plugin/views/icon.svg" in names
    assert "airflow_domino_plugin/views/ui_build/index.html" in names, "the GUI build is not in the wheel"
    assert not any(n.startswith("tests/") or n.startswith("tools/") for n in names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    pip = str(venv / "bin" / "pip")
    _run(
        pip,
        "install",
        "--quiet",
        "--constraint",
        str(REPO / "constraints.txt"),
        "apache-airflow==3.3.2",
        str(wheel),
        str(sdk_wheel),
    )

    env = {
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    plugins = json.loads(_run(str(venv / "bin" / "airflow"), "plugins", "--output", "json", env=env))
    domino = next(p for p in plugins if p["name"] == "domino")
    assert "airflow_domino_plugin.plugin" in json.dumps(domino)
    providers = _run(str(venv / "bin" / "airflow"), "providers", "list", "--output", "json", env=env)
    assert "airflow-domino-plugin" in providers
    # The Domino compatibility package exists only inside the piece runtime, never here.
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import domino"], capture_output=True, env=env)
    assert probe.returncode != 0
