"""DAG factory cost: parse time of the loader with 1, 100 and 1,000 stored workflows of 10 tasks,
against the same DAGs written as static Python files, and the worker-side build of one DAG.

    .venv/bin/python bench/factory_parse.py [--sizes 1,100,1000] [--repeat 3] [--node-tested 0.1]

Prints figures and ratios measured in this run; asserts nothing about speed. Goals (issue 4):
1,000 x 10 in ≤ 2 s and ≤ 1.5 times the static files; worker-side build ≤ 50 ms and flat in N.

``--node-tested``: the share of workflows that have asked for node tests (each of those also gets
its one-task node-test DAG; the others get none).

Columns: ``loader``/``static``: the DAG processor's view (Airflow and the plugin already imported,
every DAG built; best of ``--repeat``). ``warm build``: one workflow's DAG built in that same warm
process. ``task parse``: what a task process really pays (Airflow's ``dag_file_parse_ms``): a fresh
interpreter with Airflow's task runner imported parses the loader file with the task's dag_id in
the parsing context, as ``task_runner.parse`` does (plugin imports included; best of
``--repeat`` fresh processes), for a workflow task and for a node-test task, against the same
workflow written as one static DAG file. Byte code is cached under a temporary
``PYTHONPYCACHEPREFIX`` (an installed package has its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE``
would add compiling every module to each figure).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TASKS = 10


def document(index: int) -> dict:
    tasks = []
    for t in range(TASKS):
        task = {
            "id": f"t{t}",
            "piece": {"repository": "bench", "version": "1.0.0", "name": "AddPiece"},
            "inputs": {"a": t, "b": {"$param": "x"}} if t == 0 else {
                "a": {"$upstream": {"task": f"t{t - 1}", "output": "total"}}, "b": t},
            "depends_on": [f"t{t - 1}"] if t else [],
        }  # fmt: skip
        tasks.append(task)
    return {
        "schema_version": 1,
        "id": f"wf_{index:05d}",
        "name": f"Workflow {index}",
        "schedule": None,
        "params": {"x": {"type": "integer", "default": 1}},
        "defaults": {"retries": 1, "retry_delay_s": 10},
        "tasks": tasks,
    }


def node_tested(index: int, share: float) -> bool:
    """Whether workflow ``index`` has asked for node tests (spread evenly; wf_00000 always does)."""
    return share > 0 and int(index * share) != int((index - 1) * share) if index else share > 0


def seed(db_url: str, count: int, share: float = 0.0) -> int:
    """Store ``count`` workflows; returns how many have node tests."""
    import sqlalchemy as sa

    from airflow_domino_plugin.db.models import Workflow, WorkflowRevision, metadata

    engine = sa.create_engine(db_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    from sqlalchemy.orm import Session

    from airflow_domino_plugin.db.types import utcnow

    tested = 0
    with Session(engine) as session:
        for i in range(count):
            doc = document(i)
            workflow = Workflow(id=doc["id"], name=doc["name"])
            revision = WorkflowRevision(workflow=workflow, number=1, document=doc)
            session.add_all([workflow, revision])
            session.flush()
            workflow.current_revision_id = revision.id
            workflow.deployed_revision_id = revision.id  # the factory builds the deployed revision
            if node_tested(i, share):
                workflow.node_tests_since = utcnow()
                tested += 1
        session.commit()
    engine.dispose()
    return tested


STATIC_TEMPLATE = textwrap.dedent(
    """
    from datetime import timedelta
    from airflow.sdk import DAG, Param
    from airflow_domino_plugin.operators.piece import PieceOperator

    with DAG(dag_id={dag_id!r}, schedule=None, tags=["domino"], params={{"x": Param(1, type="integer")}}) as dag:
        previous = None
        for t in range({tasks}):
            inputs = {{"a": t, "b": {{"$param": "x"}}}} if t == 0 else {{
                "a": {{"$upstream": {{"task": f"t{{t - 1}}", "output": "total"}}}}, "b": t}}
            piece = {{"repository": "bench", "version": "1.0.0", "name": "AddPiece"}}
            op = PieceOperator(task_id=f"t{{t}}", piece=piece, inputs=inputs, retries=1,
                               retry_delay=timedelta(seconds=10))
            if previous is not None:
                previous >> op
            previous = op
    """
)

MEASURE = textwrap.dedent(
    """
    import importlib.util, json, sys, time
    import airflow.sdk  # the DAG processor has Airflow imported before it parses a file
    import airflow_domino_plugin.dag_factory.builder, airflow_domino_plugin.dag_factory.loader  # noqa
    files = sys.argv[1:]
    times = []
    dags = 0
    for _ in range({repeat}):
        started = time.perf_counter()
        dags = 0
        for index, path in enumerate(files):
            spec = importlib.util.spec_from_file_location(f"bench_mod_{{index}}_{{time.perf_counter_ns()}}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            dags += sum(1 for v in vars(module).values() if type(v).__name__ == "DAG")
        times.append(time.perf_counter() - started)
    print(json.dumps({{"seconds": min(times), "dags": dags}}))
    """
)


TASK_PARSE = textwrap.dedent(
    """
    import json, os, sys, time
    import airflow.sdk.execution_time.task_runner  # the task process has this imported when it parses
    from airflow.dag_processing.dagbag import BundleDagBag
    path = sys.argv[1]
    started = time.perf_counter()
    bag = BundleDagBag(dag_folder=path, safe_mode=False, load_op_links=False,
                       bundle_path=os.path.dirname(path), bundle_name="bench")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "dags": sorted(bag.dags), "errors": len(bag.import_errors)}))
    """
)


def task_parse(path: Path, env: dict[str, str], dag_id: str, task_id: str, repeat: int) -> float:
    """Best of ``repeat`` fresh task processes parsing ``path`` for one task, in seconds."""
    env = {**env, "_AIRFLOW_PARSING_CONTEXT_DAG_ID": dag_id, "_AIRFLOW_PARSING_CONTEXT_TASK_ID": task_id}
    best = float("inf")
    for _ in range(repeat + 1):  # the first one also writes the byte-code cache
        out = subprocess.run(
            [sys.executable, "-c", TASK_PARSE, str(path)], env=env, capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert result["dags"] == [dag_id], result
        assert not result["errors"], result
        best = min(best, result["seconds"])
    return best


def measure(files: list[Path], env: dict[str, str], repeat: int) -> dict:
    code = MEASURE.format(repeat=repeat)
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--node-tested", type=float, default=0.1, help="share of workflows with node tests")
    args = parser.parse_args()
    loader = REPO / "airflow_domino_plugin" / "dag_factory" / "dags" / "domino_workflows.py"
    print(f"node-tested share: {args.node_tested}")
    print(
        f"{'workflows':>9}  {'DAGs':>5}  {'loader (s)':>10}  {'static (s)':>10}  {'ratio':>5}  {'warm build (ms)':>15}"
        f"  {'task parse (ms): workflow / node test / static':>46}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for size in [int(s) for s in args.sizes.split(",")]:
            db = Path(tmp) / f"bench-{size}.db"
            url = f"sqlite:///{db}"
            tested = seed(url, size, args.node_tested)
            env = {
                **base_env,
                "AIRFLOW_HOME": tmp,
                "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN": url,
                "AIRFLOW__DOMINO__SNAPSHOT_PATH": str(Path(tmp) / f"snapshot-{size}.json"),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache"),
            }
            factory = measure([loader], env, args.repeat)
            assert factory["dags"] == size + tested, factory  # each workflow's DAG, node-test DAGs on demand
            static_dir = Path(tmp) / f"static-{size}"
            static_dir.mkdir()
            files = []
            for i in range(size):
                path = static_dir / f"wf_{i:05d}.py"
                path.write_text(STATIC_TEMPLATE.format(dag_id=f"wf_{i:05d}", tasks=TASKS))
                files.append(path)
            static = measure(files, env, args.repeat)
            worker = measure([loader], {**env, "_AIRFLOW_PARSING_CONTEXT_DAG_ID": "wf_00000"}, args.repeat)
            assert worker["dags"] == 1, worker
            cold = task_parse(loader, env, "wf_00000", "t3", args.repeat)
            cold_test = task_parse(loader, env, "domino-node-test--wf_00000", "node", args.repeat) if tested else 0.0
            cold_static = task_parse(files[0], env, "wf_00000", "t3", args.repeat)
            print(
                f"{size:>9}  {factory['dags']:>5}  {factory['seconds']:>10.3f}  {static['seconds']:>10.3f}  "
                f"{factory['seconds'] / static['seconds']:>5.2f}  {worker['seconds'] * 1000:>15.1f}  "
                f"{cold * 1000:>19.0f} / {cold_test * 1000:>9.0f} / {cold_static * 1000:>6.0f}"
            )


if __name__ == "__main__":
    main()
