"""Secret values are masked out of outputs and result files before they are stored (issue 11, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

from airflow_domino_plugin.execution.masking import Masker

SECRET = 'pa"ss-word-1234'


def test_values_are_masked_at_any_depth_keys_included() -> None:
    masker = Masker.of_secrets({"TOKEN": SECRET, "nested": {"short": "abc"}})
    value = {"out": f"x{SECRET}y", SECRET: [1, {"deep": SECRET}], "n": 3, "short": "abc"}
    assert masker.value(value) == {"out": "x***y", "***": [1, {"deep": "***"}], "n": 3, "short": "abc"}


def test_streams_are_masked_across_chunk_boundaries() -> None:
    masker = Masker([SECRET])
    data = (b"a" * 10 + SECRET.encode() + b"b" * 10) * 3
    for size in (1, 3, 7, len(SECRET), 64):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert b"".join(masker.chunks(chunks)) == (b"a" * 10 + b"***" + b"b" * 10) * 3


def test_files_are_masked_in_place_also_json_escaped(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.json").write_text(json.dumps({"token": SECRET}))
    (tmp_path / "b.txt").write_text(f"the token is {SECRET}\n")
    (tmp_path / "clean.bin").write_bytes(bytes(range(256)))
    (tmp_path / "b.txt").chmod(0o640)
    masked = Masker([SECRET]).folder(tmp_path)
    assert masked == ["b.txt", "sub/a.json"]
    assert json.loads((tmp_path / "sub" / "a.json").read_text()) == {"token": "***"}
    assert (tmp_path / "b.txt").read_text() == "the token is ***\n"
    assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "clean.bin").read_bytes() == bytes(range(256))
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.json", "b.txt", "clean.bin", "sub"]  # no temp files


def test_nothing_to_mask_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("hello")
    assert Masker([]).folder(tmp_path) == []
    assert Masker([]).value({"a": "hello"}) == {"a": "hello"}
    assert list(Masker([]).chunks([b"ab", b"c"])) == [b"ab", b"c"]
