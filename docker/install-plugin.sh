#!/usr/bin/env bash
# Installs airflow-domino-plugin into the apache/airflow image. Run by docker/Dockerfile, with the
# build context (the repository root) bind-mounted read-only at $1. Settings come from the
# environment: PLUGIN_SOURCE (source|wheel|pypi), PLUGIN_VERSION, PLUGIN_EXTRAS, EXTRA_REQUIREMENTS,
# ALLOW_MISSING_UI, PIP_CHECK; AIRFLOW_VERSION is set by the base image.
set -euo pipefail

ctx="${1:?usage: install-plugin.sh <build-context-dir>}"
PLUGIN_SOURCE="${PLUGIN_SOURCE:-source}"
PLUGIN_VERSION="${PLUGIN_VERSION:-}"
PLUGIN_EXTRAS="${PLUGIN_EXTRAS:-}"
EXTRA_REQUIREMENTS="${EXTRA_REQUIREMENTS:-}"
ALLOW_MISSING_UI="${ALLOW_MISSING_UI:-false}"
PIP_CHECK="${PIP_CHECK:-true}"

die() { echo "install-plugin.sh: ERROR: $*" >&2; exit 1; }
note() { echo "install-plugin.sh: $*" >&2; }

[[ -n "${AIRFLOW_VERSION:-}" ]] || die "AIRFLOW_VERSION is not set: the base image must be apache/airflow"
[[ -f "$ctx/constraints.txt" ]] \
    || die "constraints.txt not found in the build context; build from the repository root:" \
           "docker build -f docker/Dockerfile ."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The constraints pin the tested set. A line for this package itself (e.g. from `pip freeze` of a
# development install) would conflict with the version being installed or is not allowed as a
# constraint (-e lines): leave those out.
grep -viE '^[[:space:]]*(-e[[:space:]]|airflow[-_.]domino[-_.](plugin|sdk)([[:space:]]|[=<>!~;@]|$))' \
    "$ctx/constraints.txt" > "$work/constraints.txt" || true

extras=""
[[ -n "$PLUGIN_EXTRAS" ]] && extras="[${PLUGIN_EXTRAS}]"

case "$PLUGIN_SOURCE" in
    source)
        [[ -f "$ctx/setup.cfg" && -d "$ctx/airflow_domino_plugin" ]] \
            || die "PLUGIN_SOURCE=source but the build context has no setup.cfg/airflow_domino_plugin;" \
                   "build from the repository root"
        if [[ -z "$(ls -A "$ctx/airflow_domino_plugin/views/ui_build" 2>/dev/null)" ]]; then
            if [[ "$ALLOW_MISSING_UI" == "true" ]]; then
                note "WARNING: airflow_domino_plugin/views/ui_build is empty: the image has no GUI"
            else
                die "airflow_domino_plugin/views/ui_build is empty: build the GUI first," \
                    "use PLUGIN_SOURCE=wheel/pypi, or pass --build-arg ALLOW_MISSING_UI=true"
            fi
        fi
        # The bind mount is read-only and setuptools writes build/ and *.egg-info next to the
        # sources: build from a copy.
        cp -r "$ctx/." "$work/src"
        target="$work/src${extras}"
        sdk_target="$work/src/sdk"
        ;;
    wheel)
        [[ -n "$PLUGIN_VERSION" ]] || die "PLUGIN_SOURCE=wheel needs --build-arg PLUGIN_VERSION=<version>"
        wheel_file="$ctx/dist/airflow_domino_plugin-${PLUGIN_VERSION}-py3-none-any.whl"
        [[ -f "$wheel_file" ]] || die "$wheel_file not found (run the package build first)"
        sdk_wheel="$ctx/dist/airflow_domino_sdk-${PLUGIN_VERSION}-py3-none-any.whl"
        [[ -f "$sdk_wheel" ]] || die "$sdk_wheel not found (build the SDK too: pip wheel sdk/)"
        target="airflow-domino-plugin${extras} @ file://${wheel_file}"
        sdk_target="airflow-domino-sdk @ file://${sdk_wheel}"
        ;;
    pypi)
        [[ -n "$PLUGIN_VERSION" ]] || die "PLUGIN_SOURCE=pypi needs --build-arg PLUGIN_VERSION=<version>"
        target="airflow-domino-plugin${extras}==${PLUGIN_VERSION}"
        sdk_target="airflow-domino-sdk==${PLUGIN_VERSION}"
        ;;
    *)
        die "PLUGIN_SOURCE must be source, wheel or pypi, not '$PLUGIN_SOURCE'"
        ;;
esac

# Further requirements resolved together with the plugin, e.g. the S3 filesystem for
# ObjectStoragePath ("apache-airflow-providers-amazon[s3fs]"), which the stock image lacks.
read -r -a extra_requirements <<< "$EXTRA_REQUIREMENTS"

note "installing '$target' ${extra_requirements[*]} with apache-airflow==${AIRFLOW_VERSION} under constraints.txt"
pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" "$sdk_target" "$target" "${extra_requirements[@]}" \
    --constraint "$work/constraints.txt"

if [[ "$PIP_CHECK" == "true" ]]; then
    pip check
fi

# Fail the build, not the cluster, when the package does not register what the chart relies on.
EXPECTED_VERSION="$PLUGIN_VERSION" python - <<'PY'
import os
import sys
from importlib.metadata import entry_points, version
from importlib.util import find_spec
from pathlib import Path

installed = version("airflow-domino-plugin")
expected = os.environ.get("EXPECTED_VERSION")
if expected and installed != expected:
    sys.exit(f"installed airflow-domino-plugin {installed}, but PLUGIN_VERSION is {expected}")

plugins = [e for e in entry_points(group="airflow.plugins") if e.value.startswith("airflow_domino_plugin")]
providers = [
    e for e in entry_points(group="apache_airflow_provider") if e.value.startswith("airflow_domino_plugin")
]
if not plugins or not providers:
    sys.exit("airflow-domino-plugin is installed without its airflow.plugins/apache_airflow_provider entry points")
info = providers[0].load()()
manager = "airflow_domino_plugin.db.manager.DominoDBManager"
if manager not in info.get("db-managers", []):
    sys.exit(f"provider info does not register the DB manager {manager}: airflow db migrate would skip its tables")
# The DAG factory's loader must have been installed with the package (a wheel only carries the
# files its package data names): without it the "domino" bundle is empty and no workflow shows.
spec = find_spec("airflow_domino_plugin")
package_dir = Path(next(iter(spec.submodule_search_locations)))
if not list((package_dir / "dag_factory" / "dags").glob("*.py")):
    sys.exit(f"{package_dir}/dag_factory/dags/ holds no loader file: the package data misses it")
print(f"airflow-domino-plugin {installed}: entry points, DB manager and DAG loader present")
PY
