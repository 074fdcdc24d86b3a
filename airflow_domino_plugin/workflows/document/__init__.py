"""The workflow document (schema_version 1): Pydantic models and the published JSON schema.

A workflow is data, never generated Python. These models are the single definition of its
shape: the API serves ``Workflow.model_json_schema()`` at ``/schemas/workflow.json``, the editor
builds forms from it and the DAG factory reads stored revisions through ``Workflow``.

Every model forbids unknown fields (typos must not pass silently) except the ``ui`` block,
which belongs to the editor. Checks that need more than one field or the piece catalog (the
task graph, piece references, input types) live in :mod:`..validation`; the field types, each a
property of a single field, are in :mod:`..fields`, so a ``Workflow`` instance is always
well-formed in isolation.

The package holds one module per part of the document; import the names from here.
"""

from __future__ import annotations

from airflow_domino_plugin.workflows.document._base import ParamType, Runner
from airflow_domino_plugin.workflows.document.editor_state import NodePosition, UiState, Viewport
from airflow_domino_plugin.workflows.document.flow import (
    TRIGGER_RULES,
    UNARY_BRANCH_OPS,
    Branch,
    BranchOp,
    BranchRule,
    ForEach,
    TriggerRuleName,
    UpstreamItems,
    UpstreamRef,
)
from airflow_domino_plugin.workflows.document.resources import Resources, Toleration
from airflow_domino_plugin.workflows.document.run_params import ParamItems, RunParam
from airflow_domino_plugin.workflows.document.schedules import ScheduleOn
from airflow_domino_plugin.workflows.document.secrets import (
    SECRET_CONNECTION_TAG,
    SECRET_KUBERNETES_TAG,
    SECRET_VARIABLE_TAG,
    UNION_TAGS,
    ConnectionSecret,
    KubernetesSecret,
    SecretSource,
    VariableSecret,
)
from airflow_domino_plugin.workflows.document.steps import (
    APPROVE,
    ASSET_PATTERN,
    ENTRY_OK,
    REJECT,
    Approval,
    AssetRef,
    SubWorkflowRef,
)
from airflow_domino_plugin.workflows.document.tasks import TASK_KINDS, PieceRef, Task, TaskDefaults
from airflow_domino_plugin.workflows.document.workflow import (
    EXAMPLE_WORKFLOW,
    Workflow,
    WorkflowSchemaGenerator,
    workflow_json_schema,
)
from airflow_domino_plugin.workflows.fields import (
    MAX_JSON_DEPTH,
    SCHEMA_VERSION,
    TASK_ID_PATTERN,
    WORKFLOW_ID_PATTERN,
    check_depth,
)

__all__ = [
    "APPROVE",
    "ASSET_PATTERN",
    "ENTRY_OK",
    "EXAMPLE_WORKFLOW",
    "MAX_JSON_DEPTH",
    "REJECT",
    "SCHEMA_VERSION",
    "SECRET_CONNECTION_TAG",
    "SECRET_KUBERNETES_TAG",
    "SECRET_VARIABLE_TAG",
    "TASK_ID_PATTERN",
    "TASK_KINDS",
    "TRIGGER_RULES",
    "UNARY_BRANCH_OPS",
    "UNION_TAGS",
    "WORKFLOW_ID_PATTERN",
    "Approval",
    "AssetRef",
    "Branch",
    "BranchOp",
    "BranchRule",
    "ConnectionSecret",
    "ForEach",
    "KubernetesSecret",
    "NodePosition",
    "ParamItems",
    "ParamType",
    "PieceRef",
    "Resources",
    "RunParam",
    "Runner",
    "ScheduleOn",
    "SecretSource",
    "SubWorkflowRef",
    "Task",
    "TaskDefaults",
    "Toleration",
    "TriggerRuleName",
    "UiState",
    "UpstreamItems",
    "UpstreamRef",
    "VariableSecret",
    "Viewport",
    "Workflow",
    "WorkflowSchemaGenerator",
    "check_depth",
    "workflow_json_schema",
]
