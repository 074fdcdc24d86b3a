"""Task logs through Airflow's task log reader, the way ``GET /api/v2/.../logs/{try_number}`` reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.airflow_adapter._rows import task_instance_row
from airflow_domino_plugin.airflow_adapter.errors import LogsUnreadable, TryNotFound, UnknownTask


@dataclass
class LogRead:
    records: list[Any]  # structured records (pydantic models or dicts: timestamp, level, event, ...)
    log_pos: int | None  # the reader's position after these records; None when the handler keeps none


def read_task_log(
    session: Session, dag_id: str, run_id: str, task_id: str, *, try_number: int, offset: int = 0, map_index: int = -1
) -> LogRead:
    """Records of try ``try_number`` from position ``offset`` on.

    The current try is read from the task instance, earlier tries from Airflow's task instance
    history; the task's definition is attached first, as the route does, so handlers that need it
    (remote logging, templated paths) work.
    """
    from airflow.models.dagbag import DBDagBag
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.log.log_reader import TaskLogReader

    ti = task_instance_row(session, dag_id, run_id, task_id, map_index)
    if ti is None:
        raise UnknownTask(task_id)
    source: Any = ti
    if try_number != ti.try_number:
        source = session.scalar(
            select(TaskInstanceHistory).where(
                TaskInstanceHistory.dag_id == dag_id,
                TaskInstanceHistory.run_id == run_id,
                TaskInstanceHistory.task_id == task_id,
                TaskInstanceHistory.map_index == map_index,
                TaskInstanceHistory.try_number == try_number,
            )
        )
        if source is None:
            raise TryNotFound(f"{task_id} try {try_number}")
    dag = DBDagBag().get_dag_for_run(ti.dag_run, session=session)
    if dag is not None and task_id in dag.task_dict:
        source.task = dag.get_task(task_id)
    reader = TaskLogReader()
    if not reader.supports_read:
        raise LogsUnreadable("Airflow's configured task log handler cannot read logs back.")
    metadata_in: Any = {"log_pos": offset}
    try:
        stream, metadata = reader.read_log_chunks(source, try_number, metadata_in)
    except TypeError as exc:
        if "islice" not in str(exc):
            raise
        # Airflow 3.2's FileTaskHandler.read refuses the islice it makes itself once a log_pos is
        # given: read everything (its source header first, then log_pos records) and skip here.
        no_position: Any = {}
        stream, metadata = reader.read_log_chunks(source, try_number, no_position)
        everything = list(stream)
        if "log_pos" not in metadata:
            return LogRead(everything, None)
        total = int(metadata["log_pos"])
        return LogRead(everything[max(len(everything) - total, 0) :][offset:], total)
    records = list(stream)
    log_pos = int(metadata["log_pos"]) if "log_pos" in metadata else None
    if offset > 0 and log_pos is not None and len(records) == log_pos:
        # Airflow 3.1's FileTaskHandler.read drops its islice: it returns every record whatever
        # log_pos asked for (3.2+ skip them). All of them came back, so skip them here.
        records = records[offset:]
    return LogRead(records, log_pos)
