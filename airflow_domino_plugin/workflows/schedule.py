"""Schedules and timezones: what a workflow may say, and how to say it back in words.

The accepted values mirror what Airflow 3 turns into timetables without extra code: ``None``
(manual runs only), ``@once``, ``@continuous``, Airflow's cron presets, and five-field cron
expressions (Airflow itself refuses six- and seven-field ones). Checking here, before saving,
is what keeps a typo from becoming a DAG import error later.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from cron_descriptor import CasingTypeEnum, ExpressionDescriptor
from croniter import CroniterBadDateError, croniter

CRON_PRESETS: dict[str, str] = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
}
"""Airflow's cron presets (``airflow.utils.dates.cron_presets``) and their expressions."""

TIMETABLE_ALIASES: dict[str, str] = {
    "@once": "Once, at the start date",
    "@continuous": "Continuously: a new run starts as soon as the previous one finishes",
}
"""Schedule strings Airflow maps to special timetables rather than to cron."""

SCHEDULE_KEYWORDS = (*TIMETABLE_ALIASES, *CRON_PRESETS)

_CRON_FIELDS = "minute hour day-of-month month day-of-week"
_EXPECTED = (
    "expected null (manual runs only), one of "
    + ", ".join(f"`{k}`" for k in SCHEDULE_KEYWORDS)
    + f", or a five-field cron expression ({_CRON_FIELDS}) such as `0 5 * * MON-FRI`"
)


def schedule_error(schedule: object) -> str | None:
    """Why ``schedule`` is not acceptable, or ``None`` when it is."""
    if schedule is None or schedule in SCHEDULE_KEYWORDS:
        return None
    if not isinstance(schedule, str):
        return f"Invalid schedule; {_EXPECTED}."
    text = schedule.strip()
    if text != schedule or not text:
        return f"Invalid schedule {schedule!r}: remove surrounding spaces; {_EXPECTED}."
    if text.startswith("@"):
        return f"Unknown schedule keyword `{text}`; {_EXPECTED}."
    fields = text.split()
    if len(fields) != 5:
        return f"Invalid cron expression `{text}`: it has {len(fields)} field(s), expected exactly 5 ({_CRON_FIELDS})."
    if not croniter.is_valid(text):
        return f"Invalid cron expression `{text}`; {_EXPECTED}."
    try:
        croniter(text, datetime(2000, 1, 1, tzinfo=UTC)).get_next(datetime)
    except CroniterBadDateError:
        return f"Cron expression `{text}` never fires (no such date); check day-of-month and month."
    return None


def timezone_error(name: str) -> str | None:
    """Why ``name`` is not an IANA timezone, or ``None`` when it is."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"Unknown timezone `{name}`; expected an IANA name such as `UTC` or `Europe/Paris`."
    return None


def _describe_cron(expression: str) -> str:
    def words(expr: str) -> str:
        return str(
            ExpressionDescriptor(
                expr, casing_type=CasingTypeEnum.Sentence, use_24hour_time_format=True
            ).get_description()
        )

    fields = expression.split()
    # Like Airflow's own description: when both day-of-month and day-of-week are restricted,
    # cron fires on either, which cron-descriptor would otherwise render as "and".
    if len(fields) == 5 and fields[2] != "*" and fields[4] != "*":
        by_dom = words(" ".join([*fields[:4], "*"]))
        by_dow = words(" ".join([*fields[:2], "*", fields[3], fields[4]]))
        dow_part = by_dow.split(", ", 1)[1] if ", " in by_dow else by_dow
        return f"{by_dom}, or {dow_part}"
    return words(expression)


def describe_schedule(schedule: str | None, timezone: str | None = None) -> str:
    """A sentence for the editor and the workflow list, e.g. "At 05:00, only on Monday (UTC)".

    Raises ``ValueError`` (with the same message validation gives) for invalid schedules.
    """
    error = schedule_error(schedule)
    if error:
        raise ValueError(error)
    if schedule is None:
        return "Not scheduled: runs only when triggered"
    if schedule in TIMETABLE_ALIASES:
        return TIMETABLE_ALIASES[schedule]
    text = _describe_cron(CRON_PRESETS.get(schedule, schedule))
    return f"{text} ({timezone})" if timezone else text
