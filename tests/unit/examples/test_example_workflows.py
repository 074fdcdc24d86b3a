"""The example workflows validate against the example repository and run end to end in-process.

The end-to-end runs mimic what the DAG factory and the piece operator do, without Airflow: tasks in
dependency order, run parameters resolved from defaults plus overrides (the trigger's ``conf``),
bindings resolved at any depth, each piece run with ``run_piece``.
"""

from __future__ import annotations

import copy
import csv
import json
from collections import defaultdict
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk.repository import compile_repository
from airflow_domino_sdk.testing import run_piece

from airflow_domino_plugin.workflows.bindings import resolve_bindings
from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.params import resolve_run_params, validate_run_params
from airflow_domino_plugin.workflows.validation import parse_workflow, validate_workflow

from .conftest import PIECES_REPO, REPO_ROOT

WORKFLOWS = REPO_ROOT / "examples" / "workflows"
SALES_CSV = REPO_ROOT / "examples" / "data" / "sales.csv"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((WORKFLOWS / f"{name}.json").read_text())
    return document


@pytest.fixture(scope="module")
def catalog() -> InMemoryPieceCatalog:
    result = compile_repository(PIECES_REPO)
    assert result.ok, result.errors
    repository, version = result.config["REPOSITORY_NAME"], result.config["VERSION"]
    return InMemoryPieceCatalog(
        PieceSpec(
            repository=repository,
            version=version,
            name=name,
            input_schema=meta["input_schema"],
            output_schema=meta["output_schema"],
            secrets_schema=meta["secrets_schema"],
        )
        for name, meta in result.compiled_metadata.items()
    )


def run_workflow(document: dict[str, Any], tmp_path: Path, conf: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run every task in dependency order; return each task's outputs by task id."""
    workflow, issues = parse_workflow(document)
    assert workflow is not None, issues
    assert validate_run_params(workflow.params, conf) == []
    params = resolve_run_params(workflow.params, conf)
    tasks = {task.id: task for task in workflow.tasks}
    outputs: dict[str, dict[str, Any]] = {}
    for task_id in TopologicalSorter({t.id: set(t.depends_on) for t in workflow.tasks}).static_order():
        task = tasks[task_id]
        inputs = resolve_bindings(
            task.inputs, upstream=lambda task, output: outputs[task][output], param=lambda name: params[name]
        )
        result = run_piece(
            PIECES_REPO / "pieces" / task.piece.name,
            inputs,
            results_path=tmp_path / task_id,
            context={"dag_id": workflow.id, "run_id": "manual__test", "task_id": task_id},
        )
        outputs[task_id] = result.outputs
    return outputs


# ------------------------------------------------------------------------------- validation


def test_there_are_example_workflows() -> None:
    assert {p.stem for p in WORKFLOW_FILES} >= {"sales_report", "fan_out_fan_in", "parameterised_greeting"}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.stem)
def test_workflow_validates(path: Path, catalog: InMemoryPieceCatalog) -> None:
    document = json.loads(path.read_text())
    assert validate_workflow(document, catalog) == []
    assert document["id"] == path.stem
    for task in document["tasks"]:
        assert task["piece"]["repository"] == "domino_examples"
        assert task["piece"]["version"] == "1.0.0"


def test_validation_really_checks_the_bindings(catalog: InMemoryPieceCatalog) -> None:
    """Guard against a catalog that accepts anything: a string parameter cannot feed top_n."""
    document = load("sales_report")
    ranking = next(task for task in document["tasks"] if task["id"] == "ranking")
    ranking["inputs"]["top_n"] = {"$param": "status"}
    issues = validate_workflow(document, catalog)
    assert [issue.code for issue in issues] == ["incompatible_type"]


def test_sales_report_uses_nested_bindings() -> None:
    report = next(task for task in load("sales_report")["tasks"] if task["id"] == "report")
    assert report["inputs"]["values"]["totals"] == {"$upstream": {"task": "totals", "output": "rows"}}
    keep = next(task for task in load("sales_report")["tasks"] if task["id"] == "keep_status")
    assert keep["inputs"]["conditions"][0]["value"] == {"$param": "status"}


def test_sales_csv_default_points_at_the_shipped_file() -> None:
    """The default is relative to the repository root; deployments override it (see the README)."""
    for name in ("sales_report", "fan_out_fan_in"):
        default = load(name)["params"]["sales_csv"]["default"]
        assert (REPO_ROOT / default).resolve() == SALES_CSV.resolve()


# ------------------------------------------------------------------------------- end to end


def expected_regions(status: str) -> dict[str, dict[str, Any]]:
    """Independent computation of the per-region numbers straight from the CSV."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    with SALES_CSV.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["status"] == status and float(row["amount"]) > 0:
                groups[row["region"]].append(row)
    return {
        region: {
            "revenue": round(sum(float(r["amount"]) for r in rows), 2),
            "orders": len(rows),
            "avg_order": round(sum(float(r["amount"]) for r in rows) / len(rows), 2),
            "units": sum(int(r["quantity"]) for r in rows),
        }
        for region, rows in groups.items()
    }


@pytest.mark.parametrize(("status", "top_n"), [("completed", 3), ("cancelled", 1)])
def test_sales_report_end_to_end(status: str, top_n: int, tmp_path: Path) -> None:
    conf = {"sales_csv": str(SALES_CSV), "status": status, "top_n": top_n}
    outputs = run_workflow(load("sales_report"), tmp_path, conf)

    regions = expected_regions(status)
    ranked = sorted(regions.items(), key=lambda kv: (-kv[1]["revenue"], kv[0]))
    total = round(sum(r["revenue"] for r in regions.values()), 2)
    orders = sum(r["orders"] for r in regions.values())
    markdown = outputs["report"]["markdown"]

    assert markdown.startswith(f"# Sales report: {status} orders\n")
    assert f"**{orders}** {status} orders brought **{total:.2f}** in revenue" in markdown
    assert f"and {len(regions)} regions." in markdown
    assert f"## Top {top_n} regions" in markdown
    table = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert table[0] == "| region | revenue | orders | avg_order | units |"
    assert table[1:] == [
        f"| {region} | {r['revenue']:.2f} | {r['orders']} | {r['avg_order']:.2f} | {r['units']} |"
        for region, r in ranked[:top_n]
    ]
    assert Path(outputs["chart"]["image_path"]).read_bytes().startswith(b"\x89PNG")
    assert f"Chart: `{outputs['chart']['image_path']}`" in markdown
    assert Path(outputs["report"]["report_path"]).read_text() == markdown


def test_sales_report_numbers_for_the_shipped_data(tmp_path: Path) -> None:
    """The literal figures, so a change to sales.csv or to the pieces' arithmetic is noticed."""
    markdown = run_workflow(load("sales_report"), tmp_path, {"sales_csv": str(SALES_CSV)})["report"]["markdown"]
    assert "**29** completed orders brought **9897.70** in revenue across 4 products and 4 regions." in markdown
    assert "| LATAM | 3888.80 | 7 | 555.54 |" in markdown
    assert "| US | 3180.90 | 11 | 289.17 |" in markdown
    assert "| EU | 1698.50 | 8 | 212.31 |" in markdown
    assert "APAC" not in markdown  # fourth region, outside the default top 3


def test_fan_out_fan_in_end_to_end(tmp_path: Path) -> None:
    outputs = run_workflow(load("fan_out_fan_in"), tmp_path, {"sales_csv": str(SALES_CSV)})
    with SALES_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    biggest = max(rows, key=lambda r: float(r["amount"]))
    problems = [r for r in rows if r["status"] in ("cancelled", "refunded")]
    joined = {row["region"]: row for row in outputs["combine"]["rows"]}
    assert set(joined) == {r["region"] for r in rows}
    for region, row in joined.items():
        assert row["orders"] == sum(1 for r in rows if r["region"] == region)
        expected_problems = sum(1 for r in problems if r["region"] == region)
        assert row["problem_orders"] == (expected_problems or None)  # left join: no problems -> null
    markdown = outputs["report"]["markdown"]
    assert f"{len(joined)} regions, {len(rows)} orders." in markdown
    assert f"Biggest order: #{biggest['order_id']} ({biggest['region']}, {biggest['product']}, " in markdown
    assert "| region | revenue | orders | problem_orders | lost_revenue |" in markdown


@pytest.mark.parametrize(
    ("conf", "message", "mode"),
    [
        ({}, "> Hello, World!", "calm"),
        ({"name": "Ada", "greeting": "Bonjour", "times": 2, "shout": True}, "> BONJOUR, ADA! BONJOUR, ADA!", "loud"),
    ],
)
def test_parameterised_greeting_end_to_end(conf: dict[str, Any], message: str, mode: str, tmp_path: Path) -> None:
    outputs = run_workflow(load("parameterised_greeting"), tmp_path, conf)
    markdown = outputs["report"]["markdown"]
    assert f"\n{message}\n" in markdown
    assert f"Mode: **{mode}**, said {conf.get('times', 1)} time(s)." in markdown


def test_parameterised_greeting_refuses_bad_overrides() -> None:
    workflow, _ = parse_workflow(load("parameterised_greeting"))
    assert workflow is not None
    codes = {
        issue.code for issue in validate_run_params(workflow.params, {"times": 9, "greeting": "Yo", "shout": "yes"})
    }
    assert codes == {"param_out_of_range", "param_not_in_enum", "param_wrong_type"}


def test_documents_are_not_modified_by_runs(tmp_path: Path) -> None:
    document = load("parameterised_greeting")
    before = copy.deepcopy(document)
    run_workflow(document, tmp_path)
    assert document == before
