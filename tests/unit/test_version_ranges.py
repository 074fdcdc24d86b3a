"""setup.cfg declares what CI tests: each range holds every tested release's pin, and a lower bound is the floor's."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ROOT / "constraints" / "airflow-3.1.txt"
TESTED = {"3.1": FLOOR, "3.2": ROOT / "constraints" / "airflow-3.2.txt", "3.3": ROOT / "constraints.txt"}


def _declared() -> list[Requirement]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options"]["install_requires"].splitlines()
    lines += [line for extra in parser["options.extras_require"].values() for line in extra.splitlines()]
    return [Requirement(line.strip()) for line in lines if line.strip() and not line.strip().startswith("#")]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_tested_release_has_a_constraints_file_and_a_make_leg() -> None:
    legs = re.search(r"^AIRFLOW_LEGS := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert legs is not None
    assert sorted(legs.group(1).split()) == ["3.1", "3.2"]
    for minor, path in TESTED.items():
        assert _pins(path)["apache-airflow"].startswith(f"{minor}."), path


@pytest.mark.parametrize("minor", sorted(TESTED))
def test_each_tested_pin_is_inside_the_declared_range(minor: str) -> None:
    pins = _pins(TESTED[minor])
    outside = [
        f"{req.name}: {pins[canonicalize_name(req.name)]} not in {req.specifier}"
        for req in _declared()
        if req.specifier and canonicalize_name(req.name) in pins
        and not req.specifier.contains(pins[canonicalize_name(req.name)])
    ]  # fmt: skip
    assert outside == []


def test_lower_bounds_are_the_floor_releases_pins() -> None:
    pins = _pins(FLOOR)
    checked = []
    for req in _declared():
        for spec in req.specifier:
            if spec.operator == ">=" and req.name.startswith(("apache-airflow", "docker")):
                assert pins[canonicalize_name(req.name)] == spec.version, (req.name, FLOOR.name)
                checked.append(req.name)
    assert {
        "apache-airflow",
        "apache-airflow-providers-cncf-kubernetes",
        "apache-airflow-providers-standard",
        "apache-airflow-providers-fab",
        "apache-airflow-providers-docker",
    } <= set(checked)
