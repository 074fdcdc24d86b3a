"""CPU and memory quantities as the runners that are not Kubernetes need them (millicores, bytes).

The document accepts Kubernetes quantities (``"500m"``, ``"512Mi"``; see
:mod:`airflow_domino_plugin.workflows.fields`); the docker and subprocess runners turn them into numbers.
"""

from __future__ import annotations

import re

_MEMORY_FACTORS = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}


def cpu_millicores(cpu: str | float) -> int:
    """``"500m"`` → 500, ``"2"`` → 2000, ``0.5`` → 500: one unit for runners that are not Kubernetes."""
    if isinstance(cpu, str) and cpu.endswith("m"):
        return int(cpu[:-1])
    return round(float(cpu) * 1000)


def memory_bytes(memory: str) -> int:
    """``"512Mi"`` → 536870912: one unit for runners that are not Kubernetes."""
    match = re.match(r"^([0-9]+(?:\.[0-9]+)?)([A-Za-z]*)$", memory)
    if not match or match.group(2) not in _MEMORY_FACTORS:
        raise ValueError(f"not a memory quantity: {memory!r}")
    return int(float(match.group(1)) * _MEMORY_FACTORS[match.group(2)])
