"""The adapter's pure parts: serialized-DAG decoding, feature checks, auth-manager kinds."""

from __future__ import annotations

import inspect
import sys

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.airflow_adapter import _compat, auth
from airflow_domino_plugin.airflow_adapter.dags import decode_serialized


def test_serialized_dag_fields_unwrap_airflow_type_wrappers() -> None:
    data = {
        "dag": {
            "default_args": {
                "__var": {"domino_revision_id": 7, "retry_delay": {"__var": 300.0, "__type": "timedelta"}},
                "__type": "dict",
            },
            "doc_md": "Built from revision 3",
        }
    }
    default_args, doc_md = airflow_adapter.serialized_dag_fields(data)
    assert default_args == {"domino_revision_id": 7, "retry_delay": 300.0}
    assert doc_md == "Built from revision 3"


def test_serialized_dag_fields_of_nothing_are_empty() -> None:
    assert airflow_adapter.serialized_dag_fields(None) == ({}, "")
    assert airflow_adapter.serialized_dag_fields({"dag": {"default_args": {"__var": [1], "__type": "list"}}}) == (
        {},
        "",
    )


def test_decode_keeps_a_plain_dict_that_only_has_a_var_key_among_others() -> None:
    assert decode_serialized({"__var": 1, "other": 2}) == {"__var": 1, "other": 2}
    assert decode_serialized([{"__var": "x", "__type": "str"}]) == ["x"]


def test_feature_checks_read_signatures() -> None:
    def old(a: int) -> None: ...

    def new(a: int, run_on_latest_version: bool = False) -> None: ...

    assert not _compat.accepts(old, "run_on_latest_version")
    assert _compat.accepts(new, "run_on_latest_version")
    assert _compat.supported_kwargs(old, run_on_latest_version=False) == {}
    assert _compat.supported_kwargs(new, run_on_latest_version=False, nope=1) == {"run_on_latest_version": False}


def test_auth_manager_kind_uses_the_classes_not_their_names() -> None:
    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager

    class Custom(SimpleAuthManager):  # a subclass is still the simple auth manager
        pass

    class SimpleAuthManagerLookalike:  # the same name does not make it one
        pass

    assert auth.auth_manager_kind(Custom.__new__(Custom)) == "simple"
    assert auth.auth_manager_kind(SimpleAuthManagerLookalike()) == "other"


def test_pod_reattach_keyword_is_one_the_operator_takes() -> None:
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

    assert airflow_adapter.pod_reattach_kwarg() in inspect.signature(KubernetesPodOperator.__init__).parameters


def test_importing_the_adapter_loads_no_web_framework() -> None:
    code = "import sys, airflow_domino_plugin.airflow_adapter; print('fastapi' in sys.modules)"
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=".")
    assert out.stdout.strip() == "False"
