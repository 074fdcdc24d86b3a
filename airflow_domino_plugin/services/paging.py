"""Paged results: every list answers ``{"items": [...], "total": n}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int


def paginate(session: Session, statement: Select[T], *, limit: int, offset: int) -> Page[T]:
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    items = list(session.scalars(statement.limit(limit).offset(offset)))
    return Page(items=items, total=total)
