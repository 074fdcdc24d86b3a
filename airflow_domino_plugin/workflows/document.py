"""The workflow document (schema_version 1): Pydantic models and the published JSON schema.

A workflow is data, never generated Python. These models are the single definition of its
shape: the API serves ``Workflow.model_json_schema()`` at ``/schemas/workflow.json``, the editor
builds forms from it and the DAG factory reads stored revisions through ``Workflow``.

Every model forbids unknown fields (typos must not pass silently) except the ``ui`` block,
which belongs to the editor. Checks that need more than one field or the piece catalog (the
task graph, piece references, input types) live in :mod:`.validation`; the field types, each a
property of a single field, are in :mod:`.fields`, so a ``Workflow`` instance is always
well-formed in isolation.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    model_validator,
)
from pydantic.json_schema import DEFAULT_REF_TEMPLATE, GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema

from airflow_domino_plugin.workflows.fields import (
    DNS_LABEL_PATTERN,
    DNS_SUBDOMAIN_PATTERN,
    AwareDatetime,
    ConnectionField,
    Cpu,
    Memory,
    NonEmptyText,
    NonNegativeInt,
    Number,
    ParamName,
    PositiveInt,
    Schedule,
    SecretName,
    Shallow,
    StrictText,
    TaskId,
    Timezone,
    WorkflowId,
    check_schema_version,
    pattern_checker,
)
from airflow_domino_plugin.workflows.fields import (  # re-exported: importers read them from here
    MAX_JSON_DEPTH as MAX_JSON_DEPTH,
)
from airflow_domino_plugin.workflows.fields import (
    SCHEMA_VERSION as SCHEMA_VERSION,
)
from airflow_domino_plugin.workflows.fields import (
    TASK_ID_PATTERN as TASK_ID_PATTERN,
)
from airflow_domino_plugin.workflows.fields import (
    WORKFLOW_ID_PATTERN as WORKFLOW_ID_PATTERN,
)
from airflow_domino_plugin.workflows.fields import (
    check_depth as check_depth,
)

Runner = Literal["subprocess", "docker", "kubernetes"]
ParamType = Literal["string", "integer", "number", "boolean", "array", "object"]

_FORBID = ConfigDict(extra="forbid")
# Placeholder that WorkflowSchemaGenerator swaps for a $ref to the binding-aware input value
# schema (pydantic refuses $refs to definitions it did not generate itself).
_INPUT_VALUE_MARKER = "x-domino-input-value"
_UI = ConfigDict(extra="allow")

# Tags of the secret-source union; pydantic puts them into error locations, and the error
# converter in :mod:`.validation` removes exactly these names.
SECRET_VARIABLE_TAG = "<variable secret>"
SECRET_CONNECTION_TAG = "<connection secret>"
SECRET_KUBERNETES_TAG = "<kubernetes secret>"
UNION_TAGS = frozenset({SECRET_VARIABLE_TAG, SECRET_CONNECTION_TAG, SECRET_KUBERNETES_TAG})


# ---------------------------------------------------------------- run parameters


class ParamItems(BaseModel):
    """Type of the items of an ``array`` parameter, so bindings into typed lists can be checked."""

    model_config = _FORBID

    type: Literal["string", "integer", "number", "boolean", "object"] = Field(description="JSON type of every item.")


class RunParam(BaseModel):
    """A run parameter: a default in the document, overridable per run by the trigger's ``conf``.

    Becomes an Airflow ``Param`` (see :func:`.params.airflow_param_kwargs`). A parameter with no
    ``default`` must be given a value at every trigger, so scheduled workflows need defaults.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"type": "string", "default": "EU", "enum": ["EU", "US"]}]},
    )

    type: ParamType = Field(description="JSON type of the value.")
    default: Annotated[Any, Shallow] = Field(
        default=None, description="Value used when a run does not override it. Omit it to require a value."
    )
    enum: Annotated[list[Any] | None, Shallow] = Field(
        default=None, min_length=1, description="The only values allowed."
    )
    title: StrictText | None = Field(default=None, description="Label shown in the trigger form.")
    description: StrictText | None = Field(default=None, description="Help text shown in the trigger form.")
    minimum: Number | None = Field(default=None, description="Smallest allowed value (integer/number only).")
    maximum: Number | None = Field(default=None, description="Largest allowed value (integer/number only).")
    items: ParamItems | None = Field(default=None, description="Item type of an `array` parameter.")

    @property
    def has_default(self) -> bool:
        """Whether ``default`` was given (``null`` given explicitly counts, and is then rejected)."""
        return "default" in self.model_fields_set


# ---------------------------------------------------------------- tasks


class TaskDefaults(BaseModel):
    """Execution settings every task inherits unless it sets its own."""

    model_config = _FORBID

    retries: NonNegativeInt = Field(default=0, description="How many times a failed task is retried.")
    retry_delay_s: NonNegativeInt = Field(default=300, description="Seconds to wait between retries.")
    timeout_s: PositiveInt | None = Field(default=None, description="Seconds after which a task is failed.")
    runner: Runner | None = Field(
        default=None, description="Where pieces run; null means the `[domino] default_runner` setting."
    )


class PieceRef(BaseModel):
    """Which piece a task runs, pinned to an installed repository version."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"repository": "examples", "version": "1.0.0", "name": "HttpRequestPiece"}]},
    )

    repository: NonEmptyText = Field(description="Name of the installed pieces repository.")
    version: NonEmptyText = Field(description="Installed version (tag) of that repository.")
    name: NonEmptyText = Field(description="Piece name, e.g. `HttpRequestPiece`.")


class VariableSecret(BaseModel):
    """Read the secret from an Airflow Variable (so secrets backends apply)."""

    model_config = _FORBID

    variable: NonEmptyText = Field(description="Airflow Variable key.", examples=["domino_examples_api_key"])


class ConnectionSecret(BaseModel):
    """Read the secret from one field of an Airflow Connection."""

    model_config = _FORBID

    connection: NonEmptyText = Field(description="Airflow Connection id.", examples=["my_api"])
    field: ConnectionField = Field(
        default="password",
        description="Connection field: password, login, host, port, schema, extra, or extra.<key> for one key "
        "of the JSON extra.",
    )


class KubernetesSecret(BaseModel):
    """Read the secret from a Kubernetes Secret that already exists in the piece pod's namespace.

    Only for tasks run by the ``kubernetes`` runner: the value never passes through Airflow.
    """

    model_config = _FORBID

    kubernetes_secret: NonEmptyText = Field(description="Name of the Kubernetes Secret.", examples=["smtp-credentials"])
    key: NonEmptyText = Field(description="Key inside the Secret.", examples=["password"])


def _secret_kind(value: Any) -> str | None:
    if isinstance(value, dict | VariableSecret | ConnectionSecret | KubernetesSecret):
        keys = value if isinstance(value, dict) else value.model_fields_set
        if "variable" in keys:
            return SECRET_VARIABLE_TAG
        if "connection" in keys:
            return SECRET_CONNECTION_TAG
        if "kubernetes_secret" in keys:
            return SECRET_KUBERNETES_TAG
    return None


SecretSource = Annotated[
    Annotated[VariableSecret, Tag(SECRET_VARIABLE_TAG)]
    | Annotated[ConnectionSecret, Tag(SECRET_CONNECTION_TAG)]
    | Annotated[KubernetesSecret, Tag(SECRET_KUBERNETES_TAG)],
    Discriminator(
        _secret_kind,
        custom_error_type="invalid_secret_source",
        custom_error_message='Expected {"variable": "<key>"}, {"connection": "<conn id>", "field": "password"} '
        'or {"kubernetes_secret": "<name>", "key": "<key>"}.',
    ),
]


class Toleration(BaseModel):
    """A Kubernetes pod toleration (same fields as the Kubernetes API, in snake_case)."""

    model_config = _FORBID

    key: StrictText | None = None
    operator: Literal["Equal", "Exists"] = "Equal"
    value: StrictText | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None
    toleration_seconds: NonNegativeInt | None = None


class Resources(BaseModel):
    """What the task's container needs, and Kubernetes pod overrides for the kubernetes runner."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"cpu": "500m", "memory": "512Mi", "gpu": 0}]}
    )

    cpu: Cpu | None = Field(default=None, description='CPU: "500m" (millicores), "2" or 0.5 (cores).')
    memory: Memory | None = Field(default=None, description='Memory as a Kubernetes quantity, e.g. "512Mi".')
    gpu: NonNegativeInt = Field(default=0, description="Number of GPUs.")
    node_selector: dict[str, str] = Field(default_factory=dict, description="Kubernetes node selector labels.")
    tolerations: list[Toleration] = Field(default_factory=list, description="Kubernetes tolerations.")
    image_pull_secrets: list[NonEmptyText] = Field(
        default_factory=list, description="Names of Kubernetes image pull secrets."
    )
    namespace: (
        Annotated[
            str,
            Strict(),
            pattern_checker(DNS_LABEL_PATTERN, "invalid_namespace", "a Kubernetes namespace (DNS label)"),
        ]
        | None
    ) = Field(default=None, description="Kubernetes namespace of the pod.")
    service_account: (
        Annotated[
            str,
            Strict(),
            pattern_checker(DNS_SUBDOMAIN_PATTERN, "invalid_service_account", "a Kubernetes service account name"),
        ]
        | None
    ) = Field(default=None, description="Kubernetes service account of the pod.")


TriggerRuleName = Literal[
    "all_success",
    "all_failed",
    "all_done",
    "all_done_min_one_success",
    "one_success",
    "one_failed",
    "one_done",
    "none_failed",
    "none_failed_min_one_success",
    "none_skipped",
    "all_skipped",
    "always",
]

TRIGGER_RULES: tuple[str, ...] = get_args(TriggerRuleName)
"""Airflow trigger rules a task may choose (Airflow's ``TriggerRule`` values, setup/teardown ones left out)."""

BranchOp = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "contains", "truthy", "falsy"]
UNARY_BRANCH_OPS = frozenset({"truthy", "falsy"})


class UpstreamRef(BaseModel):
    """The ``{"task", "output"}`` part of an ``$upstream`` binding."""

    model_config = _FORBID

    task: TaskId = Field(description="Id of the upstream task.")
    output: NonEmptyText = Field(description="Name of one of its outputs.")


class UpstreamItems(BaseModel):
    """``{"$upstream": {"task", "output"}}``: the list a for-each maps over."""

    model_config = _FORBID

    upstream: UpstreamRef = Field(alias="$upstream")


class ForEach(BaseModel):
    """Run the task once per item of an upstream list output (Airflow dynamic task mapping).

    Each item is given to the input named ``input``; tasks downstream that bind an output of
    this task receive the list of the instances' values, in item order.
    """

    model_config = _FORBID

    items: UpstreamItems = Field(description="An upstream output holding a list; one task instance per item.")
    input: NonEmptyText = Field(description="The input of the piece that receives the item.")
    max_parallel: PositiveInt | None = Field(
        default=None, description="Most instances of this task running at once in one run (null: no limit)."
    )


class BranchRule(BaseModel):
    """``value op operand`` → run the tasks in ``then``; the first rule that holds wins."""

    model_config = _FORBID

    value: Annotated[Any, Shallow] = Field(
        description="A binding: `$upstream` (an output of this task or of an ancestor) or `$param`.",
        json_schema_extra={_INPUT_VALUE_MARKER: True},
    )
    op: BranchOp = Field(description="Comparison; `truthy` and `falsy` take no operand.")
    operand: Annotated[Any, Shallow] = Field(default=None, description="The literal value compared against.")
    then: list[TaskId] = Field(min_length=1, description="Direct downstream tasks that run when the rule holds.")


class Branch(BaseModel):
    """After the piece runs, choose which direct downstream tasks run; the others are skipped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    when: list[BranchRule] = Field(min_length=1, description="Rules tried in order; the first that holds wins.")
    else_: list[TaskId] = Field(
        default_factory=list, alias="else", description="Tasks that run when no rule holds (empty: skip all)."
    )


ASSET_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/@+=~%-]{0,1499}$"
AssetRef = Annotated[
    str,
    Strict(),
    pattern_checker(
        ASSET_PATTERN,
        "invalid_asset",
        "an asset name or URI without spaces, e.g. `sales_report` or `s3://bucket/sales.csv`",
    ),
    Field(json_schema_extra={"pattern": ASSET_PATTERN}, examples=["s3://bucket/sales.csv"]),
]


class SubWorkflowRef(BaseModel):
    """Run another saved workflow: the task's ``inputs`` are its run parameters; it waits for the run.

    The task's outputs are the outputs of the child workflow's final tasks (those no other task
    waits for), named ``<task id>.<output>``.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"id": "clean_orders"}]})

    id: WorkflowId = Field(description="Id of the workflow to run (its deployed revision).")
    poll_interval_s: PositiveInt = Field(
        default=5, description="Seconds between checks of the child run's state while waiting."
    )


APPROVE, REJECT, ENTRY_OK = "Approve", "Reject", "OK"
"""The options of an approval (Airflow's ``ApprovalOperator``) and of an input step without ``options``."""


class Approval(BaseModel):
    """A step that waits for a person: approve/reject, or choose an option and fill in a form.

    Compiles to the standard provider's Human-in-the-loop operators (``ApprovalOperator``,
    ``HITLOperator``): the task waits without holding a worker slot until a permitted user
    responds in the Domino GUI, Airflow's UI or ``/api/v2``. The task's ``inputs`` are values
    (bindings allowed) that ``body`` shows as ``{{ name }}``. Its outputs are the response:
    ``chosen``, ``chosen_options``, ``approved``, ``responded_by``, ``responded_at`` and one
    output per form field.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "approval",
                    "title": "Publish the sales report?",
                    "body": "Total: **{{ total }}**",
                    "respondents": ["alice"],
                    "timeout_s": 86400,
                    "on_timeout": "Reject",
                }
            ]
        },
    )

    kind: Literal["approval", "input"] = Field(
        default="approval",
        description="`approval`: Approve or Reject (a rejection skips the downstream tasks); "
        "`input`: choose one of `options` and/or fill in `fields`.",
    )
    title: Annotated[str, Strict(), Field(min_length=1, max_length=200)] = Field(
        description="Headline shown to the person asked."
    )
    body: StrictText = Field(
        default="", description="Details in Markdown; `{{ name }}` shows the value of the task's input `name`."
    )
    options: list[NonEmptyText] = Field(
        default_factory=list,
        description="`input` only: the options offered (empty: a single `OK`). An approval's are Approve and Reject.",
    )
    multiple: Annotated[bool, Strict()] = Field(
        default=False, description="`input` only: several options may be chosen."
    )
    fields: dict[ParamName, RunParam] = Field(
        default_factory=dict, description="Form fields the person fills in, defined like run parameters."
    )
    respondents: list[NonEmptyText] = Field(
        default_factory=list,
        description="User ids who may respond (simple auth manager: user names; FAB: user ids). "
        "Empty: anyone allowed to run the workflow.",
    )
    timeout_s: PositiveInt | None = Field(default=None, description="Seconds to wait for a response (null: no limit).")
    on_timeout: NonEmptyText | None = Field(
        default=None,
        description="Option taken when `timeout_s` passes (e.g. `Reject`); null: the task fails at the timeout.",
    )

    @property
    def choices(self) -> list[str]:
        """The options the person picks from."""
        if self.kind == "approval":
            return [APPROVE, REJECT]
        return list(self.options) or [ENTRY_OK]


TASK_KINDS: tuple[str, ...] = ("piece", "workflow", "approval")
"""The fields of which a task sets exactly one: what the task runs."""


class Task(BaseModel):
    """One node of the graph: one Airflow task running a piece or another workflow."""

    model_config = _FORBID

    id: TaskId = Field(description="Task id, unique in the workflow; becomes the Airflow task_id.")
    label: StrictText | None = Field(default=None, description="Name shown on the node; defaults to the piece name.")
    piece: PieceRef | None = Field(
        default=None, description="The piece this task runs (exactly one of `piece`, `workflow` and `approval`)."
    )
    workflow: SubWorkflowRef | None = Field(
        default=None,
        description="Run another saved workflow instead of a piece; `inputs` are its run parameters.",
    )
    approval: Approval | None = Field(
        default=None,
        description="Wait for a person to approve or to answer instead of running a piece; "
        "`inputs` are values the body shows.",
    )
    inputs: Annotated[dict[str, Any], Shallow] = Field(
        default_factory=dict,
        description="Input values by input name. Any JSON value; a binding object "
        '(`{"$upstream": {"task", "output"}}` or `{"$param": name}`) may replace a value at any depth.',
        json_schema_extra={"additionalProperties": {_INPUT_VALUE_MARKER: True}},
        examples=[{"url": "https://example.org/orders.json", "region": {"$param": "region"}}],
    )
    secrets: dict[SecretName, SecretSource] = Field(
        default_factory=dict,
        description="Where each secret of the piece comes from; never the secret value itself.",
        examples=[{"API_KEY": {"variable": "domino_examples_api_key"}}],
    )
    depends_on: list[TaskId] = Field(default_factory=list, description="Ids of the tasks that must finish first.")
    retries: NonNegativeInt | None = Field(default=None, description="Overrides `defaults.retries`.")
    retry_delay_s: NonNegativeInt | None = Field(default=None, description="Overrides `defaults.retry_delay_s`.")
    timeout_s: PositiveInt | None = Field(default=None, description="Overrides `defaults.timeout_s`.")
    runner: Runner | None = Field(default=None, description="Overrides `defaults.runner`.")
    resources: Resources | None = None
    trigger_rule: TriggerRuleName = Field(
        default="all_success",
        description="When the task runs, given its upstream tasks' states (Airflow trigger rule); "
        "e.g. `none_failed_min_one_success` for a join after a branch.",
    )
    for_each: ForEach | None = Field(default=None, description="Run the task once per item of an upstream list.")
    branch: Branch | None = Field(default=None, description="Choose which direct downstream tasks run.")
    outlets: list[AssetRef] = Field(
        default_factory=list,
        description="Assets this task updates when it succeeds (Airflow outlets); workflows can be scheduled on them.",
        examples=[["s3://bucket/sales.csv"]],
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Task:
        given = [kind for kind in TASK_KINDS if getattr(self, kind, None) is not None]
        if len(given) != 1:
            raise ValueError(
                f"A task sets exactly one of {', '.join(f'`{k}`' for k in TASK_KINDS)}; "
                + (f"got {' and '.join(f'`{k}`' for k in given)}." if given else "got none.")
            )
        return self

    @property
    def kind(self) -> str:
        """What the task runs: one of :data:`TASK_KINDS`."""
        return next(kind for kind in TASK_KINDS if getattr(self, kind, None) is not None)

    @property
    def display_name(self) -> str:
        if self.label:
            return self.label
        if self.piece is not None:
            return self.piece.name
        if self.workflow is not None:
            return f"Run {self.workflow.id}"
        if self.approval is not None:
            return self.approval.title
        return self.id


# ---------------------------------------------------------------- data-aware schedules


class ScheduleOn(BaseModel):
    """Run when assets are updated or other workflows complete (Airflow asset scheduling).

    ``workflows``: the run starts after every final task of each named workflow succeeded.
    ``assets``: outlets declared by tasks (of any workflow). ``match`` says whether all of them
    or any one must have been updated since this workflow's last run.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"workflows": ["fetch_orders"], "assets": [], "match": "all"}]}
    )

    workflows: list[WorkflowId] = Field(
        default_factory=list, description="Run after each of these workflows completes."
    )
    assets: list[AssetRef] = Field(default_factory=list, description="Run when these assets are updated.")
    match: Literal["all", "any"] = Field(
        default="all",
        description="`all`: every listed workflow/asset updated since the last run; `any`: one is enough.",
    )


# ---------------------------------------------------------------- editor state


class NodePosition(BaseModel):
    """Where the editor draws a task; extra keys are kept for the editor's own use."""

    model_config = _UI

    x: Number
    y: Number


class Viewport(BaseModel):
    """The editor's pan and zoom; extra keys are kept."""

    model_config = _UI

    x: Number = 0
    y: Number = 0
    zoom: Annotated[float, Strict(), Field(gt=0)] = 1


class UiState(BaseModel):
    """Editor layout; has no effect on runs. Node keys must be task ids."""

    model_config = _UI

    nodes: dict[str, NodePosition] = Field(default_factory=dict, description="Node position by task id.")
    viewport: Viewport | None = None


# ---------------------------------------------------------------- the document


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
