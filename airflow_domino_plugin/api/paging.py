"""Query parameters and response shape shared by every paged list."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip")]


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
