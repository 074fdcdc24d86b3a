"""Checks for helm_values/: the official Apache Airflow Helm chart's values files and the standalone
Kubernetes manifests that go with them.

The values files are validated against the chart's own values.schema.json, vendored unmodified in
tests/fixtures/airflow_helm_chart/ (its README names the source commit and licence). Because that
schema accepts unknown keys in many places (at the top level among others), the tests also reject
keys the chart does not know, and then check what a deployment relies on: the [domino] options, the
DAG bundle list, the factory DB URL coming from a Kubernetes Secret, the rendered airflow.cfg as
Airflow itself reads it, and the RBAC in the pieces namespace.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
HELM_DIR = REPO_ROOT / "helm_values"
MANIFEST_DIR = HELM_DIR / "manifests"
DOCKERFILE = REPO_ROOT / "docker" / "Dockerfile"
INSTALL_SCRIPT = REPO_ROOT / "docker" / "install-plugin.sh"
READONLY_ROLE_SQL = HELM_DIR / "domino-factory-readonly-role.sql"
CHART_REFERENCE_DIR = REPO_ROOT / "tests" / "fixtures" / "airflow_helm_chart"
SCHEMA_PATH = CHART_REFERENCE_DIR / "values.schema.json"
CHART_DEFAULTS_PATH = CHART_REFERENCE_DIR / "values.yaml"

BASE = "values.yaml"
VALUES_FILES = sorted(p.name for p in HELM_DIR.glob("values*.yaml"))
OVERLAYS = [name for name in VALUES_FILES if name != BASE]
MANIFEST_FILES = sorted(p.name for p in MANIFEST_DIR.glob("*.yaml"))
# What gets installed: the base file alone, or the base file with one overlay on top.
DEPLOYMENTS = [(BASE,)] + [(BASE, overlay) for overlay in OVERLAYS]
DEPLOYMENT_IDS = ["+".join(d) for d in DEPLOYMENTS]

FACTORY_DB_ENV = "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN"
DOMINO_BUNDLE = {
    "name": "domino",
    "classpath": "airflow_domino_plugin.dag_factory.bundle.DominoDagBundle",
    "kwargs": {},
}
DAGS_FOLDER_BUNDLE_CLASSPATH = "airflow.dag_processing.bundles.local.LocalDagBundle"
DB_MANAGER = "airflow_domino_plugin.db.manager.DominoDBManager"
REQUIRED_DOMINO_OPTIONS = {
    "default_runner",
    "kubernetes_namespace",
    "kubernetes_service_account",
    "kubernetes_gpu_resource_name",
    "github_conn_id",
    "repositories_path",
    "storage_url",
}
# (resource, verb) pairs the kubernetes runner needs in the pieces namespace.
REQUIRED_LAUNCHER_PERMISSIONS = {("pods", verb) for verb in ("create", "get", "list", "watch", "delete", "patch")} | {
    ("pods/log", "get"),
    ("pods/log", "list"),
    ("pods/exec", "create"),
    ("pods/exec", "get"),
    ("secrets", "create"),
    ("secrets", "get"),
    ("secrets", "delete"),
    ("events", "list"),
    ("events", "watch"),
}
# Oldest and newest Kubernetes API the manifests must be valid for.
KUBERNETES_VERSIONS = ("1.28.0", kubernetes_validate.latest_version())
# scheme://user:password@ - a URL carrying a password.
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.\-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
# The [airflow.cfg] sections these values set; the chart renders `config` through `tpl` into one
# "key = value" line per option.
OWN_CONFIG_SECTIONS = ("domino", "dag_processor", "database")


# --------------------------------------------------------------------------------------- helpers


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_values(name: str) -> dict[str, Any]:
    data = load_yaml(HELM_DIR / name)
    assert isinstance(data, dict), f"helm_values/{name} must be a YAML mapping"
    return data


def load_manifest(name: str) -> list[dict[str, Any]]:
    with (MANIFEST_DIR / name).open(encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def helm_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Merge like `helm -f base -f overlay`: maps merge key by key, lists and scalars are replaced,
    and null deletes a key."""
    merged = dict(base)
    for key, value in overlay.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def deployment_values(files: tuple[str, ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in files:
        merged = helm_merge(merged, load_values(name))
    return merged


def schema_errors(schema: dict[str, Any], values: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return sorted(
        f"{'.'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(values)
    )


def resolve_ref(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def unknown_keys(value: Any, node: Any, root: dict[str, Any], path: str) -> list[str]:
    """Keys of `value` that the chart schema neither declares nor admits through a typed
    additionalProperties (the schema lets many unknown keys through, which Helm then ignores)."""
    node = resolve_ref(node, root)
    if not isinstance(value, dict) or not isinstance(node, dict):
        return []
    properties = node.get("properties")
    additional = node.get("additionalProperties")
    found = []
    for key, sub_value in value.items():
        sub_path = f"{path}.{key}" if path else key
        if properties and key in properties:
            found += unknown_keys(sub_value, properties[key], root, sub_path)
        elif isinstance(additional, dict):
            found += unknown_keys(sub_value, additional, root, sub_path)
        elif properties is None and additional is None:
            continue  # a free-form object (e.g. a subchart's values): nothing to check against
        elif additional is not False:  # additionalProperties: false is reported by the schema itself
            found.append(sub_path)
    return found


def iter_strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [item for key, sub in value.items() for item in iter_strings(sub, f"{path}.{key}")]
    if isinstance(value, list):
        return [item for i, sub in enumerate(value) for item in iter_strings(sub, f"{path}[{i}]")]
    return []


def render_config_sections(config: dict[str, Any], sections: tuple[str, ...]) -> str:
    """The chart's airflow.cfg template for the given sections: "[section]" then "key = value"."""
    lines = []
    for section in sections:
        lines.append(f"[{section}]")
        for key, value in config.get(section, {}).items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            lines.append(f"{key} = {text}")
        lines.append("")
    return "\n".join(lines)


def domino_config(values: dict[str, Any]) -> dict[str, Any]:
    return values.get("config", {}).get("domino", {})


def pieces_manifest() -> list[dict[str, Any]]:
    return load_manifest("pieces-namespace.yaml")


def objects_of_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in docs if doc.get("kind") == kind]


# -------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chart_schema() -> dict[str, Any]:
    if not SCHEMA_PATH.is_file():
        pytest.fail(
            f"The Apache Airflow Helm chart schema is missing: expected {SCHEMA_PATH}.\n"
            "It is vendored in tests/fixtures/airflow_helm_chart/ (see its README); the values "
            "files in helm_values/ cannot be validated without it.",
            pytrace=False,
        )
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def chart_defaults() -> dict[str, Any]:
    if not CHART_DEFAULTS_PATH.is_file():
        pytest.fail(
            f"The Apache Airflow Helm chart's default values are missing: expected {CHART_DEFAULTS_PATH} "
            "(vendored in tests/fixtures/airflow_helm_chart/, see its README).",
            pytrace=False,
        )
    return load_yaml(CHART_DEFAULTS_PATH)


# ------------------------------------------------------------------------------------ the files


def test_helm_values_folder_holds_the_expected_files():
    assert BASE in VALUES_FILES, "helm_values/values.yaml (the base values file) is missing"
    assert {"values-s3-storage.yaml", "values-shared-volume.yaml"} <= set(OVERLAYS)
    assert "pieces-namespace.yaml" in MANIFEST_FILES
    # Every YAML file is either a values file (validated against the chart schema) or a manifest
    # (validated against Kubernetes): none escapes both.
    stray = sorted(
        str(p.relative_to(HELM_DIR))
        for p in HELM_DIR.rglob("*")
        if p.suffix in {".yaml", ".yml"}
        and not (p.parent == HELM_DIR and p.name in VALUES_FILES)
        and not (p.parent == MANIFEST_DIR and p.name in MANIFEST_FILES)
    )
    assert not stray, f"YAML files no test validates (name values files values*.yaml): {stray}"


@pytest.mark.parametrize("name", VALUES_FILES)
def test_values_file_validates_against_chart_schema(name, chart_schema):
    errors = schema_errors(chart_schema, load_values(name))
    assert not errors, f"helm_values/{name} fails the chart schema:\n" + "\n".join(errors)


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_deployment_merged_with_chart_defaults_validates(files, chart_schema, chart_defaults):
    # Helm validates the chart defaults merged with every -f file, in order.
    values = helm_merge(chart_defaults, deployment_values(files))
    errors = schema_errors(chart_schema, values)
    assert not errors, f"{' + '.join(files)} over the chart defaults fails the schema:\n" + "\n".join(errors)


@pytest.mark.parametrize("name", VALUES_FILES)
def test_values_file_uses_only_keys_the_chart_knows(name, chart_schema):
    unknown = unknown_keys(load_values(name), chart_schema, chart_schema, "")
    assert not unknown, f"helm_values/{name} sets keys the chart does not know (Helm ignores them): {unknown}"


@pytest.mark.parametrize("name", VALUES_FILES)
def test_values_file_holds_no_credentials(name):
    for path, text in iter_strings(load_values(name)):
        assert not URL_WITH_PASSWORD.search(text), f"helm_values/{name} {path} holds a URL with a password"


# ------------------------------------------------------------------------------ image and executor


def test_image_is_the_plugin_image_for_airflow_3_3_2():
    values = load_values(BASE)
    assert values["airflowVersion"] == "3.3.2"
    assert values["defaultAirflowRepository"] != "apache/airflow", "the stock image has no plugin"
    assert str(values["defaultAirflowTag"]).startswith(values["airflowVersion"])
    # The migration job must run the plugin image: its `airflow db migrate` creates the domino_ tables.
    assert values["images"]["useDefaultImageForMigration"] is False


def test_dockerfile_builds_on_the_deployed_airflow_version():
    values = load_values(BASE)
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    from_lines = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert from_lines == [f"apache/airflow:{values['airflowVersion']}"]
    assert "--mount=type=bind" in dockerfile
    assert "install-plugin.sh" in dockerfile
    script = INSTALL_SCRIPT.read_text(encoding="utf-8")
    assert '"apache-airflow==${AIRFLOW_VERSION}"' in script
    assert "--constraint" in script
    assert "--no-cache-dir" in script
    ignore = (REPO_ROOT / "docker" / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    for needed in ("!constraints.txt", "!airflow_domino_plugin", "!docker/install-plugin.sh"):
        assert needed in ignore, f"docker/Dockerfile.dockerignore must let {needed[1:]} into the context"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_executor_and_service_accounts(files):
    values = deployment_values(files)
    assert values["executor"] == "KubernetesExecutor"
    # Fixed names: manifests/pieces-namespace.yaml binds them.
    assert values["workers"]["serviceAccount"]["name"] == "airflow-worker"
    assert values["workers"]["serviceAccount"].get("create", True) is True
    assert values["triggerer"]["serviceAccount"]["name"] == "airflow-triggerer"
    assert not values.get("workers", {}).get("useWorkerDedicatedServiceAccounts", False), (
        "dedicated Celery/Kubernetes worker accounts would not be the account the RBAC binds"
    )


# --------------------------------------------------------------------------------- airflow.cfg


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_domino_options_are_set(files):
    domino = domino_config(deployment_values(files))
    missing = REQUIRED_DOMINO_OPTIONS - domino.keys()
    assert not missing, f"[domino] lacks {sorted(missing)}"
    assert domino["default_runner"] == "kubernetes"
    assert domino["kubernetes_gpu_resource_name"] == "nvidia.com/gpu"
    assert urlsplit(domino["storage_url"]).scheme, "storage_url must be an ObjectStoragePath URL"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_domino_options_are_ones_the_plugin_declares(files):
    from airflow_domino_plugin.config import OPTIONS

    declared = {option.name for option in OPTIONS}
    unknown = set(domino_config(deployment_values(files))) - declared
    assert not unknown, f"[domino] options the plugin does not read: {sorted(unknown)}"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_own_config_values_render_as_single_lines(files):
    config = deployment_values(files)["config"]
    for section in OWN_CONFIG_SECTIONS:
        for key, value in config[section].items():
            text = str(value)
            assert "\n" not in text, f"[{section}] {key} spans lines: the chart's airflow.cfg template breaks"
            assert "{{" not in text, f"[{section}] {key} would be evaluated by the chart's tpl"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_bundle_list_has_dags_folder_and_domino_bundles(files):
    raw = deployment_values(files)["config"]["dag_processor"]["dag_bundle_config_list"]
    bundles = json.loads(raw)
    assert isinstance(bundles, list)
    for bundle in bundles:
        assert set(bundle) == {"name", "classpath", "kwargs"}, bundle
        assert isinstance(bundle["kwargs"], dict)
    names = [b["name"] for b in bundles]
    assert len(names) == len(set(names)), f"bundle names must be unique: {names}"
    by_name = {b["name"]: b for b in bundles}
    assert by_name.get("dags-folder", {}).get("classpath") == DAGS_FOLDER_BUNDLE_CLASSPATH
    assert by_name.get("domino") == DOMINO_BUNDLE


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_database_section_names_the_plugin_db_manager(files):
    database = deployment_values(files)["config"]["database"]
    managers = [m.strip() for m in database["external_db_managers"].split(",")]
    assert DB_MANAGER in managers
    assert "sql_alchemy_conn" not in database, "the metadata DB URL comes from the chart's own Secret"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_rendered_airflow_cfg_is_what_airflow_reads(files, tmp_path):
    """Write our sections the way the chart's ConfigMap template does and ask Airflow 3.3.2's own
    config parser (in a clean process) what it reads, with the factory URL coming from the
    environment as the Secret delivers it."""
    config = deployment_values(files)["config"]
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text(render_config_sections(config, OWN_CONFIG_SECTIONS), encoding="utf-8")
    # The same text through the stdlib parser Airflow's builds on (interpolation included).
    parser = configparser.ConfigParser()
    parser.read(cfg, encoding="utf-8")
    fake_factory_url = "postgresql+psycopg2://domino_factory@db.invalid:5432/airflow"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
    env.update(AIRFLOW_HOME=str(tmp_path), AIRFLOW_CONFIG=str(cfg), **{FACTORY_DB_ENV: fake_factory_url})
    wanted = {section: sorted(config[section]) for section in OWN_CONFIG_SECTIONS}
    script = (
        "import json, sys\n"
        "from airflow.configuration import conf\n"
        "wanted = json.loads(sys.argv[1])\n"
        "out = {s: {k: conf.get(s, k) for k in keys} for s, keys in wanted.items()}\n"
        "out['factory_url'] = conf.get('domino', 'sql_alchemy_conn')\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(wanted)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for section in OWN_CONFIG_SECTIONS:
        for key, value in config[section].items():
            assert parser.get(section, key) == str(value)
            assert seen[section][key] == str(value), f"Airflow reads [{section}] {key} as {seen[section][key]!r}"
    assert seen["factory_url"] == fake_factory_url
    assert json.loads(seen["dag_processor"]["dag_bundle_config_list"])[-1] == DOMINO_BUNDLE


# ------------------------------------------------------------------- secrets and the environment


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_factory_db_url_comes_from_a_kubernetes_secret(files):
    values = deployment_values(files)
    assert "sql_alchemy_conn" not in domino_config(values), "[domino] sql_alchemy_conn must not be a literal"
    entries = [s for s in values.get("secret", []) if s["envName"] == FACTORY_DB_ENV]
    assert len(entries) == 1, f"exactly one `secret` entry must provide {FACTORY_DB_ENV} (Helm replaces lists)"
    # secretKey explicit: the chart also renders it, unguarded, into AIRFLOW__KUBERNETES_SECRETS__*.
    assert entries[0]["secretName"]
    assert entries[0].get("secretKey")
    assert FACTORY_DB_ENV not in {e["name"] for e in values.get("env", [])}
    assert FACTORY_DB_ENV not in (values.get("extraEnv") or ""), "set it only through `secret`"


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_extra_env_from_loads_optional_connections_secret(files):
    raw = deployment_values(files)["extraEnvFrom"]
    assert "{{" not in raw
    items = yaml.safe_load(raw)
    assert isinstance(items, list)
    refs = {item["secretRef"]["name"]: item["secretRef"] for item in items if "secretRef" in item}
    assert refs.get("domino-connections", {}).get("optional") is True


@pytest.mark.parametrize("files", DEPLOYMENTS, ids=DEPLOYMENT_IDS)
def test_environment_and_volumes_are_valid_pod_fields(files):
    """Put the Kubernetes-shaped values (env, secret, extraEnvFrom, volumes, volumeMounts) into a pod
    the way the chart does and validate it against the Kubernetes API schema."""
    values = deployment_values(files)
    env = [{"name": e["name"], "value": e["value"]} for e in values.get("env", [])]
    env += [
        {"name": s["envName"], "valueFrom": {"secretKeyRef": {"name": s["secretName"], "key": s["secretKey"]}}}
        for s in values.get("secret", [])
    ]
    container = {
        "name": "base",
        "image": f"{values['defaultAirflowRepository']}:{values['defaultAirflowTag']}",
        "env": env,
        "envFrom": yaml.safe_load(values.get("extraEnvFrom") or "[]"),
        "volumeMounts": values.get("volumeMounts", []),
    }
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "values-check"},
        "spec": {"containers": [container], "volumes": values.get("volumes", [])},
    }
    for version in KUBERNETES_VERSIONS:
        kubernetes_validate.validate(pod, version, strict=True)
    mounted = {m["name"] for m in container["volumeMounts"]}
    assert mounted <= {v["name"] for v in pod["spec"]["volumes"]}


# -------------------------------------------------------------------------------------- overlays


def test_s3_overlay_points_results_at_s3_with_a_connection():
    overlay = domino_config(load_values("values-s3-storage.yaml"))
    assert urlsplit(overlay["storage_url"]).scheme == "s3"
    assert overlay["storage_conn_id"]
    assert not {"secret", "env", "volumes", "volumeMounts"} & load_values("values-s3-storage.yaml").keys(), (
        "lists in an overlay replace the base file's lists"
    )


def test_shared_volume_overlay_matches_its_claim_and_paths():
    values = deployment_values((BASE, "values-shared-volume.yaml"))
    (claim,) = load_manifest("shared-volume-pvc.yaml")
    assert claim["kind"] == "PersistentVolumeClaim"
    assert "ReadWriteMany" in claim["spec"]["accessModes"]
    volumes = {v["name"]: v for v in values["volumes"]}
    (mount,) = [m for m in values["volumeMounts"] if m["name"] in volumes]
    assert volumes[mount["name"]]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    domino = domino_config(values)
    storage = urlsplit(domino["storage_url"])
    assert storage.scheme == "file"
    for path in (storage.path, domino["repositories_path"]):
        assert path.startswith(mount["mountPath"].rstrip("/") + "/"), f"{path} is not on the shared volume"


# ------------------------------------------------------------------------------------- manifests


@pytest.mark.parametrize("name", MANIFEST_FILES)
def test_manifest_validates_against_kubernetes(name):
    docs = load_manifest(name)
    assert docs, f"helm_values/manifests/{name} holds no object"
    for doc in docs:
        for field in ("apiVersion", "kind"):
            assert doc.get(field), f"{name}: an object without {field}"
        assert doc.get("metadata", {}).get("name"), f"{name}: an object without metadata.name"
        for version in KUBERNETES_VERSIONS:
            kubernetes_validate.validate(doc, version, strict=True)


def test_pieces_namespace_matches_domino_config():
    domino = domino_config(load_values(BASE))
    docs = pieces_manifest()
    namespace = domino["kubernetes_namespace"]
    assert [ns["metadata"]["name"] for ns in objects_of_kind(docs, "Namespace")] == [namespace]
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == namespace, f"{doc['kind']} {doc['metadata']['name']}"
    (account,) = objects_of_kind(docs, "ServiceAccount")
    assert account["metadata"]["name"] == domino["kubernetes_service_account"]
    assert account.get("automountServiceAccountToken") is False, "piece code needs no Kubernetes API token"


def role_permissions(role: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (resource, verb)
        for rule in role["rules"]
        if rule.get("apiGroups") == [""]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


def bound_accounts(docs: list[dict[str, Any]], role_name: str) -> set[tuple[str, str]]:
    return {
        (subject["name"], subject.get("namespace", ""))
        for binding in objects_of_kind(docs, "RoleBinding")
        if binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role_name}
        for subject in binding["subjects"]
        if subject["kind"] == "ServiceAccount"
    }


def test_workers_may_run_pieces_in_the_pieces_namespace():
    values = load_values(BASE)
    docs = pieces_manifest()
    assert not objects_of_kind(docs, "ClusterRole")
    assert not objects_of_kind(docs, "ClusterRoleBinding")
    roles = {role["metadata"]["name"]: role for role in objects_of_kind(docs, "Role")}
    for role in roles.values():
        for rule in role["rules"]:
            assert "*" not in rule["verbs"], role["metadata"]["name"]
            assert "*" not in rule["resources"], role["metadata"]["name"]
    worker = (values["workers"]["serviceAccount"]["name"], "airflow")
    launchers = [name for name in roles if worker in bound_accounts(docs, name)]
    assert launchers, "no Role in the pieces namespace is bound to the worker service account"
    granted = set().union(*(role_permissions(roles[name]) for name in launchers))
    missing = REQUIRED_LAUNCHER_PERMISSIONS - granted
    assert not missing, f"the worker service account lacks {sorted(missing)} in the pieces namespace"


def test_triggerer_may_only_watch_pieces():
    values = load_values(BASE)
    docs = pieces_manifest()
    roles = {role["metadata"]["name"]: role for role in objects_of_kind(docs, "Role")}
    triggerer = (values["triggerer"]["serviceAccount"]["name"], "airflow")
    granted = set().union(
        *(role_permissions(role) for name, role in roles.items() if triggerer in bound_accounts(docs, name))
    )
    assert {("pods", "get"), ("pods", "watch"), ("pods/log", "get")} <= granted
    assert {verb for _, verb in granted} <= {"get", "list", "watch"}, "the triggerer must not change anything"


# ------------------------------------------------------------------------------- read-only role


def test_readonly_role_sql_grants_only_reads_on_domino_tables():
    sql = READONLY_ROLE_SQL.read_text(encoding="utf-8")
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    grants = re.findall(r"GRANT\s+(\w+)\s+ON\s+(\w+)", code, flags=re.IGNORECASE)
    assert grants, "no GRANT found"
    assert {(privilege.upper(), target.upper()) for privilege, target in grants} <= {
        ("CONNECT", "DATABASE"),
        ("USAGE", "SCHEMA"),
        ("SELECT", "TABLE"),
    }
    assert r"LIKE 'domino\_%'" in code, "the table filter must escape the underscore"
    assert "default_transaction_read_only = on" in code
    assert "PASSWORD" not in code.upper(), "the password is set interactively, never stored in the file"
