"""``domino.testing.utils.skip_envs``: skip a test in the named DOMINO_TESTS_ENVIRONMENT values."""

import os
from typing import Any


def skip_envs(*envs: str) -> Any:
    import pytest  # only ever called from a piece's test

    env = os.environ.get("DOMINO_TESTS_ENVIRONMENT")
    return pytest.mark.skipif(env in envs, reason=f"Not suitable environment {env} for current test")


__all__ = ["skip_envs"]
