"""Tasks that run no piece: approval/input steps and other workflows; the assets tasks update."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
)

from airflow_domino_plugin.workflows.document.run_params import RunParam
from airflow_domino_plugin.workflows.fields import (
    NonEmptyText,
    ParamName,
    PositiveInt,
    StrictText,
    WorkflowId,
    pattern_checker,
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
