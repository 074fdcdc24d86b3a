"""The whole document (``Workflow``) and the JSON schema the API publishes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
)
from pydantic.json_schema import DEFAULT_REF_TEMPLATE, GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema

from airflow_domino_plugin.workflows.document._base import _INPUT_VALUE_MARKER
from airflow_domino_plugin.workflows.document.editor_state import UiState
from airflow_domino_plugin.workflows.document.run_params import RunParam
from airflow_domino_plugin.workflows.document.schedules import ScheduleOn
from airflow_domino_plugin.workflows.document.tasks import Task, TaskDefaults
from airflow_domino_plugin.workflows.fields import (
    SCHEMA_VERSION,
    AwareDatetime,
    ParamName,
    PositiveInt,
    Schedule,
    Shallow,
    StrictText,
    Timezone,
    WorkflowId,
    check_schema_version,
)

EXAMPLE_WORKFLOW: dict[str, Any] = {
    "schema_version": 1,
    "id": "daily_sales",
    "name": "Daily sales report",
    "description": "Fetch yesterday's orders and mail a summary.",
    "schedule": "0 5 * * *",
    "start_date": "2026-11-01T00:00:00Z",
    "timezone": "Europe/Paris",
    "catchup": False,
    "max_active_runs": 1,
    "tags": ["sales"],
    "params": {"region": {"type": "string", "default": "EU", "enum": ["EU", "US"], "title": "Region"}},
    "defaults": {"retries": 1, "retry_delay_s": 300, "timeout_s": 3600, "runner": "subprocess"},
    "tasks": [
        {
            "id": "login",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "LoginPiece"},
            "secrets": {"PASSWORD": {"connection": "sales_api", "field": "password"}},
        },
        {
            "id": "fetch",
            "label": "Fetch orders",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "HttpRequestPiece"},
            "inputs": {
                "url": "https://example.org/orders.json",
                "region": {"$param": "region"},
                "headers": [{"name": "Authorization", "value": {"$upstream": {"task": "login", "output": "token"}}}],
            },
            "secrets": {"API_KEY": {"variable": "domino_examples_api_key"}},
            "depends_on": ["login"],
            "retries": 2,
            "timeout_s": 600,
            "runner": "kubernetes",
            "resources": {"cpu": "500m", "memory": "512Mi", "gpu": 0},
        },
    ],
    "ui": {
        "nodes": {"login": {"x": 0, "y": 80}, "fetch": {"x": 240, "y": 80}},
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    },
}

_BINDING_DEFS: dict[str, Any] = {
    "UpstreamBinding": {
        "title": "Upstream binding",
        "description": "Takes an output of an upstream task (an ancestor through `depends_on`).",
        "type": "object",
        "properties": {
            "$upstream": {
                "type": "object",
                "properties": {
                    "task": {"type": "string", "description": "Id of the upstream task."},
                    "output": {"type": "string", "description": "Name of one of its piece's outputs."},
                },
                "required": ["task", "output"],
                "additionalProperties": False,
            }
        },
        "required": ["$upstream"],
        "additionalProperties": False,
        "examples": [{"$upstream": {"task": "fetch", "output": "rows"}}],
    },
    "ParamBinding": {
        "title": "Parameter binding",
        "description": "Takes the value of a run parameter declared in `params`.",
        "type": "object",
        "properties": {"$param": {"type": "string", "minLength": 1}},
        "required": ["$param"],
        "additionalProperties": False,
        "examples": [{"$param": "region"}],
    },
    "InputValue": {
        "title": "Input value",
        "description": "A literal JSON value or a binding; bindings may also appear inside arrays and objects.",
        "anyOf": [
            {"$ref": "#/$defs/UpstreamBinding"},
            {"$ref": "#/$defs/ParamBinding"},
            {"type": "array", "items": {"$ref": "#/$defs/InputValue"}},
            {
                "type": "object",
                "not": {"anyOf": [{"required": ["$upstream"]}, {"required": ["$param"]}]},
                "additionalProperties": {"$ref": "#/$defs/InputValue"},
            },
            {"type": ["string", "number", "boolean", "null"]},
        ],
    },
}


class WorkflowSchemaGenerator(GenerateJsonSchema):
    """Adds the binding definitions that ``Task.inputs`` refers to, and the ``$schema`` marker."""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        result = _replace_marker(super().generate(schema, mode))
        result.setdefault("$defs", {}).update(_BINDING_DEFS)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **result}


def _replace_marker(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get(_INPUT_VALUE_MARKER) is True:
            return {"$ref": "#/$defs/InputValue"}
        return {key: _replace_marker(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_marker(item) for item in node]
    return node


class Workflow(BaseModel):
    """A workflow: one Airflow DAG whose tasks each run one piece."""

    model_config = ConfigDict(
        extra="forbid",
        title="Workflow",
        json_schema_extra={"examples": [EXAMPLE_WORKFLOW]},
    )

    schema_version: Annotated[int, Strict(), AfterValidator(check_schema_version)] = Field(
        description="Version of this document format; must be 1.", json_schema_extra={"const": SCHEMA_VERSION}
    )
    id: WorkflowId = Field(description="Workflow id; becomes the Airflow dag_id. Cannot change after creation.")
    name: Annotated[str, Strict(), Field(min_length=1, max_length=200)] = Field(description="Display name.")
    description: StrictText = Field(default="", description="What the workflow does (Markdown).")
    schedule: Schedule = Field(
        default=None,
        description="null (manual only), `@once`, `@continuous`, an Airflow preset (`@hourly` `@daily` `@weekly` "
        "`@monthly` `@quarterly` `@yearly`) or a five-field cron expression, read in `timezone`.",
        examples=["@daily", "0 5 * * MON-FRI", None],
    )
    schedule_on: ScheduleOn | None = Field(
        default=None,
        description="Data-aware schedule: run when other workflows complete or assets are updated "
        "(instead of `schedule`).",
    )
    start_date: AwareDatetime | None = Field(
        default=None, description="First moment the schedule applies; required when `schedule` is set."
    )
    end_date: AwareDatetime | None = Field(default=None, description="No runs are scheduled after this moment.")
    timezone: Timezone = Field(default="UTC", description="IANA timezone in which cron schedules are read.")
    catchup: Annotated[bool, Strict()] = Field(
        default=False, description="Whether missed intervals since `start_date` are run."
    )
    max_active_runs: PositiveInt | None = Field(
        default=None, description="Runs allowed at the same time; null means Airflow's configured default."
    )
    tags: list[Annotated[str, Strict(), Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, description="Airflow DAG tags.", examples=[["sales"]]
    )
    params: dict[ParamName, RunParam] = Field(default_factory=dict, description="Run parameters by name.")
    defaults: TaskDefaults = Field(default_factory=TaskDefaults, description="Settings tasks inherit.")
    tasks: list[Task] = Field(default_factory=list, description="The tasks, in any order.")
    ui: Annotated[UiState, Shallow] = Field(default_factory=UiState, description="Editor layout; ignored when running.")

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool | None = None,
        ref_template: str = DEFAULT_REF_TEMPLATE,
        schema_generator: type[GenerateJsonSchema] = WorkflowSchemaGenerator,
        mode: JsonSchemaMode = "validation",
        *,
        union_format: Literal["any_of", "primitive_type_array"] = "any_of",
    ) -> dict[str, Any]:
        """The published schema; defaults to :class:`WorkflowSchemaGenerator` to include bindings."""
        return super().model_json_schema(
            by_alias=by_alias,
            ref_template=ref_template,
            schema_generator=schema_generator,
            mode=mode,
            union_format=union_format,
        )

    def get_task(self, task_id: str) -> Task | None:
        """The task with ``task_id``, or ``None``."""
        return next((task for task in self.tasks if task.id == task_id), None)

    def task_policy(self, task: Task) -> TaskDefaults:
        """The task's effective retries/delay/timeout/runner after applying ``defaults``."""
        return TaskDefaults(
            retries=self.defaults.retries if task.retries is None else task.retries,
            retry_delay_s=self.defaults.retry_delay_s if task.retry_delay_s is None else task.retry_delay_s,
            timeout_s=self.defaults.timeout_s if task.timeout_s is None else task.timeout_s,
            runner=task.runner or self.defaults.runner,
        )


def workflow_json_schema() -> dict[str, Any]:
    """The JSON schema served at ``/schemas/workflow.json``."""
    return Workflow.model_json_schema()
