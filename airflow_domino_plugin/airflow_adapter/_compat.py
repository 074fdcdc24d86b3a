"""Feature checks for differences between Airflow releases: ask the code, not the version string."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


@functools.cache
def parameters(func: Callable[..., Any]) -> frozenset[str]:
    """The names ``func`` accepts (empty when it cannot be inspected)."""
    try:
        return frozenset(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return frozenset()


def accepts(func: Callable[..., Any], name: str) -> bool:
    """Whether ``func`` takes a parameter ``name`` (a keyword added or removed between releases)."""
    return name in parameters(func)


def supported_kwargs(func: Callable[..., Any], **kwargs: Any) -> dict[str, Any]:
    """``kwargs`` without the names ``func`` does not take."""
    names = parameters(func)
    return {k: v for k, v in kwargs.items() if k in names}
