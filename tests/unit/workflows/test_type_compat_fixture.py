"""The GUI's type-compatibility fixture must be what the Python module computes now.

static/src/lib/typeCompat.ts mirrors type_compat.py and its Vitest suite replays the fixture; a
rule changed here without regenerating (`python static/scripts/gen_type_compat_fixture.py`)
would let the two drift apart unnoticed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "static" / "scripts" / "gen_type_compat_fixture.py"


def test_fixture_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_type_compat_fixture", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the script's annotations through it
    spec.loader.exec_module(module)
    assert module.FIXTURE.read_text() == module.render(), (
        "static/src/lib/fixtures/typeCompat.json is stale: run python static/scripts/gen_type_compat_fixture.py"
    )
