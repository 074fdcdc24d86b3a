"""JoinTablesPiece: SQL-style inner/left/right/outer join of two row lists on key columns."""

from typing import Any

from airflow_domino_sdk import BasePiece

from .models import InputModel, JoinKind, OutputModel


def _key_part(value: Any) -> Any:
    # 1 and 1.0 match (JSON vs CSV numbers); text never matches a number ("007" is not 7).
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ("n", float(value))
    return ("v", repr(value))


def _key(row: dict[str, Any], columns: list[str]) -> tuple[Any, ...] | None:
    values = [row.get(c) for c in columns]
    if any(v is None for v in values):  # SQL semantics: null keys never match
        return None
    return tuple(_key_part(v) for v in values)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


class JoinTablesPiece(BasePiece):
    """Combines two tables on matching key values."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        left, right = input_data.left_rows, input_data.right_rows
        left_on = input_data.left_on
        right_on = input_data.right_on or left_on
        for side, rows, keys in (("left", left, left_on), ("right", right, right_on)):
            missing = sorted(set(keys) - set(_columns(rows)))
            if rows and missing:
                raise ValueError(f"{side} table has no column(s) {missing}; it has {_columns(rows)}")
        left_cols = _columns(left) or list(left_on)
        shared_keys = {r for lk, r in zip(left_on, right_on, strict=True) if lk == r}
        right_cols = [c for c in _columns(right) if c not in shared_keys]
        rename = {c: f"{c}{input_data.right_suffix}" if c in left_cols else c for c in right_cols}

        index: dict[tuple[Any, ...], list[int]] = {}
        for position, row in enumerate(right):
            key = _key(row, right_on)
            if key is not None:
                index.setdefault(key, []).append(position)

        def joined(lrow: dict[str, Any] | None, rrow: dict[str, Any] | None) -> dict[str, Any]:
            out = {c: (lrow or {}).get(c) for c in left_cols}
            if lrow is None and rrow is not None:  # right-only row: its key values go in the key columns
                out.update({lk: rrow.get(rk) for lk, rk in zip(left_on, right_on, strict=True)})
            out.update({rename[c]: (rrow or {}).get(c) for c in right_cols})
            return out

        result: list[dict[str, Any]] = []
        matched_right: set[int] = set()
        for lrow in left:
            key = _key(lrow, left_on)
            matches = index.get(key, []) if key is not None else []
            matched_right.update(matches)
            result.extend(joined(lrow, right[m]) for m in matches)
            if not matches and input_data.kind in (JoinKind.left, JoinKind.outer):
                result.append(joined(lrow, None))
        if input_data.kind in (JoinKind.right, JoinKind.outer):
            result.extend(joined(None, row) for i, row in enumerate(right) if i not in matched_right)
        self.logger.info("%s join: %d x %d row(s) -> %d", input_data.kind.value, len(left), len(right), len(result))
        return OutputModel(rows=result, row_count=len(result))
