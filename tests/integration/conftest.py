"""The real-stack fixtures live in :mod:`tests.stack` (loaded by tests/conftest.py)."""

from tests.stack import USERS, RunningStack

__all__ = ["USERS", "RunningStack"]
