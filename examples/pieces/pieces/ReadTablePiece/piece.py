"""ReadTablePiece: CSV / JSON / JSON Lines from a file or a URL into rows (standard library only)."""

import csv
import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from airflow_domino_sdk import BasePiece
from airflow_domino_sdk.paths import input_path

from .models import InputModel, OutputModel, TableFormat

_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")


def _infer(cell: str) -> Any:
    text = cell.strip()
    if text == "":
        return None
    # Leading zeros (postcodes, ids such as 007) are identifiers, not numbers.
    if _INT.fullmatch(text) and not re.fullmatch(r"[+-]?0\d+", text):
        return int(text)
    if _DECIMAL.fullmatch(text) and not re.fullmatch(r"[+-]?0\d+(\.\d*)?", text):
        return float(text)
    return cell


def _read_source(piece: BasePiece, source: str, encoding: str, timeout: float) -> tuple[str, str]:
    """Return (text, content-type hint); local paths must be in the folders the piece may read."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        with urllib.request.urlopen(source, timeout=timeout) as response:
            charset = response.headers.get_content_charset() or encoding
            return response.read().decode(charset), response.headers.get_content_type()
    if scheme == "file":
        source = urllib.request.url2pathname(urlsplit(source).path)
    elif scheme and len(scheme) > 1:  # a one-letter "scheme" is a Windows drive
        raise ValueError(f"unsupported source {source!r}: use a file path or an http(s) URL")
    path = input_path(piece, source)
    if not path.is_file():
        hint = (
            "" if path.is_absolute() else f"; relative paths are read from {Path.cwd()}, give an absolute path or URL"
        )
        raise FileNotFoundError(f"no such file: {path}{hint}")
    return path.read_text(encoding=encoding), ""


def _detect(source: str, content_type: str) -> TableFormat:
    suffix = Path(urlsplit(source).path).suffix.lower()
    by_suffix = {".csv": TableFormat.csv, ".tsv": TableFormat.csv, ".json": TableFormat.json}
    by_suffix |= {".jsonl": TableFormat.jsonl, ".ndjson": TableFormat.jsonl}
    if suffix in by_suffix:
        return by_suffix[suffix]
    if "ndjson" in content_type or "jsonl" in content_type:
        return TableFormat.jsonl
    if "json" in content_type:
        return TableFormat.json
    if "csv" in content_type:
        return TableFormat.csv
    raise ValueError(f"cannot tell the format of {source!r}; choose csv, json or jsonl")


def _records(value: Any, records_path: str) -> list[Any]:
    for key in [k for k in records_path.split(".") if k]:
        if not isinstance(value, dict) or key not in value:
            raise ValueError(f"records_path {records_path!r}: no key {key!r} in the JSON document")
        value = value[key]
    if isinstance(value, dict):
        # A single object, or {"data": [...]} without records_path: say which keys hold arrays.
        arrays = [k for k, v in value.items() if isinstance(v, list)]
        hint = f"; set records_path to one of {arrays}" if arrays else ""
        raise ValueError(f"the JSON document is an object, not an array of records{hint}")
    if not isinstance(value, list):
        raise ValueError("the JSON document is not an array of records")
    return value


class ReadTablePiece(BasePiece):
    """Reads a table so downstream pieces can filter, aggregate and chart it."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        text, content_type = _read_source(self, input_data.source, input_data.encoding, input_data.timeout_seconds)
        fmt = input_data.format
        if fmt is TableFormat.auto:
            fmt = _detect(input_data.source, content_type)
        if fmt is TableFormat.csv:
            reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=input_data.delimiter, restkey="_extra")
            rows: list[Any] = [
                {k: _infer(v) if input_data.infer_types and isinstance(v, str) else v for k, v in row.items()}
                for row in reader
            ]
        elif fmt is TableFormat.json:
            rows = _records(json.loads(text), input_data.records_path)
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ValueError(f"row {index} is {type(row).__name__}, expected an object")
        if input_data.max_rows is not None:
            rows = rows[: input_data.max_rows]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        self.logger.info("read %d row(s), %d column(s) as %s", len(rows), len(columns), fmt.value)
        return OutputModel(rows=rows, columns=columns, row_count=len(rows))
