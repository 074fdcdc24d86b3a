"""Workflows written for the original Domino, turned into our workflow document.

Domino keeps a workflow in three JSON shapes, all accepted here:

- ``domino-api``: the body of Domino's ``POST /workspaces/{id}/workflows`` (what its editor sends):
  ``workflow`` (name, schedule preset, dates), ``tasks`` keyed by task id (``piece``,
  ``piece_input_kwargs`` with ``{fromUpstream, upstreamTaskId, upstreamArgument, value}`` per field,
  ``dependencies``, ``container_resources``, ``workflow_shared_storage``) and ``ui_schema``
  (``nodes`` keyed by task id, ``edges``);
- ``domino-stored``: Domino's ``GET .../workflows/{id}`` answer, whose ``schema.tasks`` carry
  ``input_kwargs`` already resolved to literals and ``{type: fromUpstream, upstream_task_id, output_arg}``;
- ``domino-editor``: the editor's JSON export: ``workflowNodes`` and ``workflowEdges`` (React Flow),
  ``workflowPieces`` and ``workflowPiecesData`` keyed by node id (inputs with ``upstreamId``), and
  optionally ``workflowSettingsData``.

Domino names pieces by database ids that mean nothing here, so a piece is found by its name and
the repository hints the document carries (the image ``<registry>/<repository>:<version>-groupN``,
the repository URL), or by an explicit ``repositories`` mapping; see :func:`convert_domino`.
Everything that cannot be mapped is reported with its JSON path in the Domino document, all at
once; what is dropped on purpose (shared storage, differing resource requests) becomes a warning.
This module is pure: the caller hands in the installed repositories.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from airflow_domino_plugin.workflows.catalog import version_sort_key
from airflow_domino_plugin.workflows.document import SCHEMA_VERSION, TASK_ID_PATTERN, WORKFLOW_ID_PATTERN
from airflow_domino_plugin.workflows.issues import Loc, ValidationIssue, did_you_mean, quote_list

NATIVE = "workflow"
DOMINO_API = "domino-api"
DOMINO_STORED = "domino-stored"
DOMINO_EDITOR = "domino-editor"
DOMINO_FORMATS = (DOMINO_API, DOMINO_STORED, DOMINO_EDITOR)

SCHEDULE_PRESETS = {"once", "hourly", "daily", "weekly", "monthly", "yearly"}
"""Domino's ``ScheduleIntervalType`` values besides ``none``; Domino's DAGs use them as ``@<preset>``."""

_NO_STORAGE = {None, "", "None", "none"}


@dataclass(frozen=True)
class InstalledPiece:
    """What the mapping needs of an installed piece."""

    name: str
    secrets: tuple[str, ...] = ()
    container_resources: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InstalledRepository:
    """One installed repository version and its pieces by name."""

    name: str
    version: str
    source_url: str = ""
    pieces: Mapping[str, InstalledPiece] = field(default_factory=dict)


@dataclass(frozen=True)
class RepositoryTarget:
    """Where pieces of a Domino repository are found here; ``version`` ``None`` = the best installed one."""

    repository: str
    version: str | None = None


@dataclass
class ImportResult:
    """The converted document (``None`` when ``errors``), what was lost (``warnings``), and the
    origin of every converted part so validation issues can be reported at their Domino path."""

    format: str
    document: dict[str, Any] | None
    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)
    task_ids: dict[str, str] = field(default_factory=dict)
    """Domino task id (or editor node id) → our task id."""
    origins: dict[tuple[str, ...], Loc] = field(default_factory=dict)
    list_values: set[tuple[str, ...]] = field(default_factory=set)
    """Origins of inputs written as ``{fromUpstream, value: [...]}``: list indexes sit below ``value``."""

    def translate(self, issue: ValidationIssue) -> ValidationIssue:
        """An issue about the converted document, located in the Domino document it came from."""
        parts = tuple(_unescape(p) for p in issue.pointer.split("/")[1:]) if issue.pointer else ()
        for cut in range(len(parts), -1, -1):
            origin = self.origins.get(parts[:cut])
            if origin is None:
                continue
            rest: list[str | int] = [int(p) if p.isdigit() else p for p in parts[cut:]]
            if parts[:cut] in self.list_values and rest and isinstance(rest[0], int):
                rest.insert(0, "value")
            shown = f" (`{issue.path}` in the converted workflow)" if issue.path else ""
            return ValidationIssue.at((*origin, *rest), issue.message + shown, issue.code)
        return issue


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def detect_format(document: Any) -> str | None:
    """``workflow`` (ours), one of :data:`DOMINO_FORMATS`, or ``None`` when it is neither."""
    if not isinstance(document, dict):
        return None
    if "schema_version" in document or isinstance(document.get("tasks"), list):
        return NATIVE
    if "workflowNodes" in document or "workflowPiecesData" in document:
        return DOMINO_EDITOR
    if isinstance(document.get("tasks"), dict):
        return DOMINO_API
    schema = document.get("schema")
    if isinstance(schema, dict) and isinstance(schema.get("tasks"), dict):
        return DOMINO_STORED
    return None


# ------------------------------------------------------------------------------ normalised nodes


@dataclass
class _Node:
    key: str
    loc: Loc
    piece_loc: Loc
    piece_name: Any
    hints: dict[str, Any]
    inputs: Any
    inputs_loc: Loc
    style: str  # "kwargs" (upstreamTaskId), "editor" (upstreamId) or "stored"
    dependencies: list[tuple[Any, Loc]] = field(default_factory=list)
    position: Any = None
    label: Any = None
    resources: Any = None
    resources_loc: Loc = ()
    storage: Any = None
    storage_loc: Loc = ()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first(mapping: Mapping[str, Any], *keys: str) -> Any:
    return next((mapping[k] for k in keys if mapping.get(k) is not None), None)


def _style_label(node: Any) -> Any:
    return _dict(_dict(_dict(node).get("data")).get("style")).get("label")


def _api_nodes(document: dict[str, Any], stored: bool) -> tuple[list[_Node], dict[str, str], list[ValidationIssue]]:
    base: Loc = ("schema", "tasks") if stored else ("tasks",)
    tasks = _dict(document.get("schema")).get("tasks") if stored else document.get("tasks")
    ui_nodes = _dict(_dict(document.get("ui_schema")).get("nodes"))
    nodes: list[_Node] = []
    aliases: dict[str, str] = {}
    errors: list[ValidationIssue] = []
    for key, task in _dict(tasks).items():
        loc: Loc = (*base, key)
        if not isinstance(task, dict):
            errors.append(ValidationIssue.at(loc, "A task must be a JSON object.", "domino_malformed"))
            continue
        piece = _dict(task.get("piece"))
        ui_node = _dict(ui_nodes.get(key))
        inputs_key = "input_kwargs" if stored else "piece_input_kwargs"
        node = _Node(
            key=key,
            loc=loc,
            piece_loc=(*loc, "piece"),
            piece_name=piece.get("name"),
            hints={k: piece.get(k) for k in ("source_image", "repository_url", "repository_version", "repository_id")},
            inputs=task.get(inputs_key),
            inputs_loc=(*loc, inputs_key),
            style="stored" if stored else "kwargs",
            position=ui_node.get("position"),
            label=_style_label(ui_node),
            resources=task.get("container_resources"),
            resources_loc=(*loc, "container_resources"),
            storage=_dict(task.get("workflow_shared_storage")).get("source"),
            storage_loc=(*loc, "workflow_shared_storage", "source"),
        )
        deps_key = "upstream" if stored else "dependencies"
        deps = task.get(deps_key)
        if isinstance(deps, list):
            node.dependencies = [(d, (*loc, deps_key, i)) for i, d in enumerate(deps)]
        elif deps is not None:
            errors.append(ValidationIssue.at((*loc, deps_key), "Expected a list of task ids.", "domino_malformed"))
        nodes.append(node)
        aliases[key] = key
        if isinstance(task.get("task_id"), str):
            aliases.setdefault(task["task_id"], key)
        if isinstance(ui_node.get("id"), str):
            aliases.setdefault(ui_node["id"], key)  # edges name React Flow node ids
    edges = _dict(document.get("ui_schema")).get("edges")
    by_key = {n.key: n for n in nodes}
    for i, edge in enumerate(edges if isinstance(edges, list) else []):
        source, target = _dict(edge).get("source"), _dict(edge).get("target")
        if isinstance(target, str) and aliases.get(target) in by_key:
            by_key[aliases[target]].dependencies.append((source, ("ui_schema", "edges", i, "source")))
    return nodes, aliases, errors


def _editor_nodes(document: dict[str, Any]) -> tuple[list[_Node], dict[str, str], list[ValidationIssue]]:
    pieces = _dict(document.get("workflowPieces"))
    data = _dict(document.get("workflowPiecesData"))
    raw_nodes = document.get("workflowNodes")
    nodes: list[_Node] = []
    aliases: dict[str, str] = {}
    errors: list[ValidationIssue] = []
    if not isinstance(raw_nodes, list):
        return [], {}, [ValidationIssue.at(("workflowNodes",), "Expected the list of nodes.", "domino_malformed")]
    for i, raw in enumerate(raw_nodes):
        loc: Loc = ("workflowNodes", i)
        node_id = _dict(raw).get("id")
        if not isinstance(node_id, str) or not node_id:
            errors.append(ValidationIssue.at((*loc, "id"), "A node needs its string `id`.", "domino_malformed"))
            continue
        piece = _dict(pieces.get(node_id))
        piece_data = _dict(data.get(node_id))
        name = piece.get("name") or _dict(_dict(raw).get("data")).get("name")
        node = _Node(
            key=node_id,
            loc=loc,
            piece_loc=("workflowPieces", node_id) if piece else (*loc, "data", "name"),
            piece_name=name,
            hints={k: piece.get(k) for k in ("source_image", "repository_url", "repository_id")},
            inputs=piece_data.get("inputs"),
            inputs_loc=("workflowPiecesData", node_id, "inputs"),
            style="editor",
            position=_dict(raw).get("position"),
            label=_style_label(raw) or _dict(piece.get("style")).get("label"),
            resources=piece_data.get("containerResources"),
            resources_loc=("workflowPiecesData", node_id, "containerResources"),
        )
        nodes.append(node)
        aliases[node_id] = node_id
        # Inputs name upstream tasks by Domino's generated task id, `<name prefix>_<node uuid without dashes>`.
        uuid = node_id.split("_", 1)[1] if "_" in node_id else node_id
        aliases[f"#{uuid.replace('-', '')}"] = node_id
    edges = document.get("workflowEdges")
    by_key = {n.key: n for n in nodes}
    if edges is not None and not isinstance(edges, list):
        errors.append(ValidationIssue.at(("workflowEdges",), "Expected the list of edges.", "domino_malformed"))
    for i, edge in enumerate(edges if isinstance(edges, list) else []):
        source, target = _dict(edge).get("source"), _dict(edge).get("target")
        if target not in by_key:
            errors.append(
                ValidationIssue.at(
                    ("workflowEdges", i, "target"),
                    f"Edge target {target!r} is not a node of this workflow.",
                    "domino_unknown_node",
                )
            )
            continue
        by_key[str(target)].dependencies.append((source, ("workflowEdges", i, "source")))
    storage = _dict(_dict(document.get("workflowSettingsData")).get("storage")).get("storageSource")
    if nodes:
        nodes[0].storage = storage
        nodes[0].storage_loc = ("workflowSettingsData", "storage", "storageSource")
    return nodes, aliases, errors


# ------------------------------------------------------------------------------ the conversion


def _slug(text: str, pattern: str, fallback: str, max_len: int) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    slug = re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", words.lower())).strip("_")[:max_len].strip("_")
    if slug and not slug[0].isalpha():
        slug = f"w_{slug}"[:max_len]
    return slug if re.match(pattern, slug or "") else fallback


def _parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _quantity(value: Any) -> int | None:
    """Millicores / MiB from Domino's numbers (``100``) or its stored strings (``"100m"``, ``"128Mi"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(m|Mi)?\s*$", value) if isinstance(value, str) else None
    return int(float(match.group(1))) if match else None


def _resources(raw: Any, style: str) -> tuple[int | None, int | None, int | None, int | None, bool] | None:
    if not isinstance(raw, dict):
        return None
    if style == "editor":
        cpu, memory = _dict(raw.get("cpu")), _dict(raw.get("memory"))
        return (
            _quantity(cpu.get("min")),
            _quantity(memory.get("min")),
            _quantity(cpu.get("max")),
            _quantity(memory.get("max")),
            bool(raw.get("useGpu")),
        )
    requests, limits = _dict(raw.get("requests")), _dict(raw.get("limits"))
    return (
        _quantity(requests.get("cpu")),
        _quantity(requests.get("memory")),
        _quantity(limits.get("cpu")),
        _quantity(limits.get("memory")),
        bool(raw.get("use_gpu")),
    )


def _image_hints(source_image: Any) -> tuple[str | None, str | None, str | None]:
    """(``ghcr.io/org/repo`` , ``repo``, ``1.2.0``) from ``ghcr.io/org/repo:1.2.0-group0``."""
    if not isinstance(source_image, str) or not source_image:
        return None, None, None
    image, _, tag = source_image.rpartition(":") if ":" in source_image.split("/")[-1] else (source_image, "", "")
    version = re.sub(r"-group\d+$", "", tag) or None
    return image, image.split("/")[-1] or None, version


def _normal_url(url: Any) -> str:
    return re.sub(r"(\.git)?/*$", "", url.strip()).lower() if isinstance(url, str) else ""


class _Converter:
    def __init__(
        self,
        document: dict[str, Any],
        fmt: str,
        installed: Sequence[InstalledRepository],
        repositories: Mapping[str, RepositoryTarget],
        secret_variable: Callable[[str, str], str] | None,
    ) -> None:
        self.document = document
        self.fmt = fmt
        self.installed = installed
        self.mapping = repositories
        self.secret_variable = secret_variable
        self.result = ImportResult(format=fmt, document=None)
        self.aliases: dict[str, str] = {}
        self.task_ids: dict[str, str] = {}
        self.versions: dict[str, list[InstalledRepository]] = {}
        for repo in installed:
            self.versions.setdefault(repo.name, []).append(repo)
        for versions in self.versions.values():
            versions.sort(key=lambda r: version_sort_key(r.version), reverse=True)

    # -- reporting

    def error(self, loc: Loc, message: str, code: str) -> None:
        self.result.errors.append(ValidationIssue.at(loc, message, code))

    def warn(self, loc: Loc, message: str, code: str) -> None:
        self.result.warnings.append(ValidationIssue.at(loc, message, code))

    # -- pieces

    def _mapped(self, node: _Node) -> RepositoryTarget | None:
        image, image_repo, _ = _image_hints(node.hints.get("source_image"))
        url = node.hints.get("repository_url")
        url_repo = _normal_url(url).rsplit("/", 1)[-1] if url else None
        keys = [
            str(node.hints["repository_id"]) if node.hints.get("repository_id") is not None else None,
            url,
            _normal_url(url) or None,
            image,
            image_repo,
            url_repo,
            node.piece_name,
            "*",
        ]
        return next((self.mapping[k] for k in keys if isinstance(k, str) and k in self.mapping), None)

    def resolve_piece(self, node: _Node) -> tuple[InstalledRepository, InstalledPiece] | None:
        name = node.piece_name
        if not isinstance(name, str) or not name:
            self.error(node.piece_loc, "The node names no piece (`name`).", "domino_malformed")
            return None
        _, image_repo, image_version = _image_hints(node.hints.get("source_image"))
        hint_version = node.hints.get("repository_version") or image_version
        described = " ".join(str(x) for x in (image_repo or node.hints.get("repository_url"), hint_version) if x)
        origin = f" (Domino repository {described})" if described else ""
        target = self._mapped(node)
        if target is not None:
            if target.repository not in self.versions:
                self.error(
                    node.piece_loc,
                    f"`repositories` maps piece `{name}` to repository `{target.repository}`, "
                    f"which is not installed; installed: {quote_list(self.versions)}.",
                    "domino_unknown_repository",
                )
                return None
            return self._pick(node, name, target.repository, target.version, explicit=target.version is not None)
        url = _normal_url(node.hints.get("repository_url"))
        candidates = [image_repo, url.rsplit("/", 1)[-1] if url else None]
        candidates += [r.name for r in self.installed if url and _normal_url(r.source_url) == url]
        by_lower = {n.lower(): n for n in self.versions}  # images are lowercased
        for repo_name in candidates:
            if repo_name and repo_name.lower() in by_lower:
                return self._pick(node, name, by_lower[repo_name.lower()], hint_version, explicit=False)
        having = sorted({r.name for r in self.installed if name in r.pieces})
        if len(having) == 1:
            if described:
                self.warn(
                    node.piece_loc,
                    f"Piece `{name}`{origin} was found by its name in repository `{having[0]}`.",
                    "domino_piece_by_name",
                )
            return self._pick(node, name, having[0], None, explicit=False)
        if having:
            self.error(
                node.piece_loc,
                f"Piece `{name}`{origin} is in several installed repositories "
                f"({quote_list(having)}); say which in `repositories`, e.g. "
                f'{{"{image_repo or name}": {{"repository": "{having[0]}"}}}}.',
                "domino_ambiguous_piece",
            )
            return None
        self.error(
            node.piece_loc,
            f"No installed repository has a piece `{name}`{origin}. Install the repository "
            "that provides it, or map it to an installed one in `repositories`.",
            "domino_unknown_piece",
        )
        return None

    def _pick(
        self, node: _Node, name: str, repo_name: str, version: str | None, *, explicit: bool
    ) -> tuple[InstalledRepository, InstalledPiece] | None:
        versions = self.versions[repo_name]
        if version is not None:
            exact = next((r for r in versions if r.version == version), None)
            if exact is not None and name in exact.pieces:
                return exact, exact.pieces[name]
            if explicit:
                where = "has no piece" if exact else "is not installed"
                self.error(
                    node.piece_loc,
                    f"Repository `{repo_name}` version `{version}` {where} `{name}`; installed "
                    f"versions: {quote_list(r.version for r in versions)}.",
                    "domino_unknown_piece_version",
                )
                return None
        having = [r for r in versions if name in r.pieces]
        if not having:
            names = {p for r in versions for p in r.pieces}
            self.error(
                node.piece_loc,
                f"Repository `{repo_name}` has no piece `{name}`.{did_you_mean(name, names)}",
                "domino_unknown_piece",
            )
            return None
        if version is not None:
            self.warn(
                node.piece_loc,
                f"Domino used `{repo_name}` {version}, which is not installed with piece "
                f"`{name}`: imported with {having[0].version}, the newest installed that has it.",
                "domino_other_version",
            )
        return having[0], having[0].pieces[name]

    # -- inputs

    def upstream(self, ref: Any, output: Any, ref_loc: Loc, output_loc: Loc) -> Any:
        key = self.aliases.get(ref) if isinstance(ref, str) else None
        if key is None and isinstance(ref, str) and "_" in ref:
            key = self.aliases.get(f"#{ref.rsplit('_', 1)[1]}")
        if key is None:
            self.error(ref_loc, f"Upstream task {ref!r} is not a task of this workflow.", "domino_unknown_upstream")
            return None
        if not isinstance(output, str) or not output:
            self.error(
                output_loc, "An upstream value needs the name of the upstream piece's output.", "domino_malformed"
            )
            return None
        return {"$upstream": {"task": self.task_ids[key], "output": output}}

    def entry(self, raw: Any, loc: Loc, id_key: str) -> Any:
        """One ``{fromUpstream, <id_key>, upstreamArgument, value}`` entry (or a plain literal)."""
        if not isinstance(raw, dict) or "fromUpstream" not in raw:
            return raw
        flag = raw.get("fromUpstream")
        if isinstance(flag, dict):  # an object item: every field says for itself
            refs, outputs, values = _dict(raw.get(id_key)), _dict(raw.get("upstreamArgument")), raw.get("value")
            out = dict(values) if isinstance(values, dict) else {}
            for name, from_upstream in flag.items():
                if from_upstream:
                    out[name] = self.upstream(
                        refs.get(name), outputs.get(name), (*loc, id_key, name), (*loc, "upstreamArgument", name)
                    )
            return out
        if flag is True:
            return self.upstream(
                raw.get(id_key), raw.get("upstreamArgument"), (*loc, id_key), (*loc, "upstreamArgument")
            )
        if flag not in (False, None):
            self.error((*loc, "fromUpstream"), "Expected true or false.", "domino_malformed")
        value = raw.get("value")
        if isinstance(value, list):
            return [self.entry(item, (*loc, "value", i), id_key) for i, item in enumerate(value)]
        return value

    def stored_value(self, raw: Any, loc: Loc) -> Any:
        if isinstance(raw, dict):
            if raw.get("type") == "fromUpstream":
                return self.upstream(
                    raw.get("upstream_task_id"), raw.get("output_arg"), (*loc, "upstream_task_id"), (*loc, "output_arg")
                )
            return {k: self.stored_value(v, (*loc, k)) for k, v in raw.items()}
        if isinstance(raw, list):
            return [self.stored_value(v, (*loc, i)) for i, v in enumerate(raw)]
        return raw

    def inputs(self, node: _Node, index: int) -> dict[str, Any]:
        if node.inputs is None:
            return {}
        if not isinstance(node.inputs, dict):
            self.error(node.inputs_loc, "Expected an object of inputs by name.", "domino_malformed")
            return {}
        out: dict[str, Any] = {}
        id_key = "upstreamId" if node.style == "editor" else "upstreamTaskId"
        for name, raw in node.inputs.items():
            loc = (*node.inputs_loc, name)
            self.result.origins[("tasks", str(index), "inputs", name)] = loc
            if node.style == "stored":
                value = self.stored_value(raw, loc)
            else:
                if isinstance(_dict(raw).get("value"), list) and not _dict(raw).get("fromUpstream"):
                    self.result.list_values.add(("tasks", str(index), "inputs", name))
                value = self.entry(raw, loc, id_key)
            if value is not None:  # Domino sends null for "not set": the piece's default applies
                out[name] = value
        return out

    # -- the rest of a task

    def resources(self, node: _Node, piece: InstalledPiece) -> dict[str, Any] | None:
        given = _resources(node.resources, node.style)
        if given is None:
            return None
        defaults = _resources(piece.container_resources, "api") or (None, None, None, None, False)
        if given == defaults:
            return None
        req_cpu, req_mem, cpu, memory, gpu = given
        out: dict[str, Any] = {}
        if cpu is not None and cpu > 0:
            out["cpu"] = f"{cpu}m"
        if memory is not None and memory > 0:
            out["memory"] = f"{memory}Mi"
        if gpu:
            out["gpu"] = 1
        if (req_cpu, req_mem) != (cpu, memory) and out:
            self.warn(
                node.resources_loc,
                f"Domino asked for requests cpu {req_cpu}m / memory {req_mem}Mi and limits "
                f"cpu {cpu}m / memory {memory}Mi; a task here sets one amount for both, so it asks for the "
                "limits.",
                "domino_resources_requests",
            )
        return out or None

    def settings(self) -> dict[str, Any]:
        doc = self.document
        if self.fmt == DOMINO_EDITOR:
            config = _dict(_dict(doc.get("workflowSettingsData")).get("config"))
            base: Loc = ("workflowSettingsData", "config")
            raw = {
                "name": config.get("name"),
                "schedule": config.get("scheduleInterval"),
                "start_date": config.get("startDate"),
                "end_date": config.get("endDate"),
                "select_end_date": config.get("endDateType"),
            }
            keys = {"name": "name", "schedule": "scheduleInterval", "start_date": "startDate", "end_date": "endDate"}
        else:
            stored = self.fmt == DOMINO_STORED
            workflow = _dict(_dict(doc.get("schema")).get("workflow")) if stored else _dict(doc.get("workflow"))
            base = ("schema", "workflow") if stored else ("workflow",)
            schedule_key = next(
                (k for k in ("schedule", "schedule_interval", "scheduleInterval") if k in workflow), "schedule"
            )
            start_key = "startDateTime" if "startDateTime" in workflow else "start_date"
            end_key = "endDateTime" if "endDateTime" in workflow else "end_date"
            raw = {
                "name": _first(workflow, "name") or (doc.get("name") if stored else None),
                "schedule": workflow.get(schedule_key),
                "start_date": workflow.get(start_key),
                "end_date": workflow.get(end_key),
                "select_end_date": _first(workflow, "select_end_date", "selectEndDate"),
                "description": workflow.get("description"),
                "catchup": workflow.get("catchup"),
            }
            keys = {"name": "name", "schedule": schedule_key, "start_date": start_key, "end_date": end_key}
        self.result.origins.update({(ours,): (*base, theirs) for ours, theirs in keys.items()})
        out: dict[str, Any] = {}
        schedule = raw["schedule"]
        if schedule is None or (isinstance(schedule, str) and schedule.strip().lower() in ("", "none")):
            out["schedule"] = None
        elif isinstance(schedule, str) and schedule.strip().lower().lstrip("@") in SCHEDULE_PRESETS:
            out["schedule"] = "@" + schedule.strip().lower().lstrip("@")
        elif isinstance(schedule, str) and (schedule.startswith("@") or " " in schedule.strip()):
            out["schedule"] = schedule  # an Airflow alias or a cron expression: validation checks it
        else:
            self.error(
                (*base, keys["schedule"]),
                "Expected one of Domino's schedules: none, " + ", ".join(sorted(SCHEDULE_PRESETS)) + ".",
                "domino_bad_schedule",
            )
        for ours in ("start_date", "end_date"):
            never = str(raw.get("select_end_date") or "").strip().lower() == "never"
            if ours == "end_date" and never:  # Domino keeps the last end date typed even when "never" is chosen
                continue
            try:
                parsed = _parse_date(raw[ours])
            except ValueError:
                self.error((*base, keys[ours]), f"Expected an ISO 8601 date, got {raw[ours]!r}.", "domino_bad_date")
                continue
            if parsed is not None:
                out[ours] = parsed.isoformat()
        title = raw.get("name")
        if isinstance(title, str) and title.strip():
            out["name"] = title.strip()[:200]
        if isinstance(raw.get("description"), str):
            out["description"] = raw["description"]
        if isinstance(raw.get("catchup"), bool):
            out["catchup"] = raw["catchup"]
        return out

    def run(self, workflow_id: str | None, name: str | None) -> ImportResult:
        if self.fmt == DOMINO_EDITOR:
            nodes, self.aliases, errors = _editor_nodes(self.document)
            list_loc: Loc = ("workflowNodes",)
        else:
            nodes, self.aliases, errors = _api_nodes(self.document, stored=self.fmt == DOMINO_STORED)
            list_loc = ("schema", "tasks") if self.fmt == DOMINO_STORED else ("tasks",)
        self.result.errors.extend(errors)
        if not nodes and not errors:
            self.error(list_loc, "The workflow has no tasks.", "domino_malformed")
        used: set[str] = set()
        for node in nodes:
            base = _slug(re.sub(r"Piece$", "", str(node.piece_name or "")), TASK_ID_PATTERN, "task", 90)
            task_id, n = base, 2
            while task_id in used:
                task_id, n = f"{base}_{n}", n + 1
            used.add(task_id)
            self.task_ids[node.key] = task_id
        self.result.task_ids = dict(self.task_ids)
        settings = self.settings()
        tasks: list[dict[str, Any]] = []
        ui_nodes: dict[str, Any] = {}
        storage_warned = False
        for index, node in enumerate(nodes):
            task_id = self.task_ids[node.key]
            self.result.origins.update(
                {
                    ("tasks", str(index)): node.loc,
                    ("tasks", str(index), "piece"): node.piece_loc,
                    ("tasks", str(index), "inputs"): node.inputs_loc,
                    ("tasks", str(index), "resources"): node.resources_loc or node.loc,
                }
            )
            found = self.resolve_piece(node)
            inputs = self.inputs(node, index)
            depends_on: list[str] = []
            for ref, loc in node.dependencies:
                key = self.aliases.get(ref) if isinstance(ref, str) else None
                if key is None:
                    self.error(loc, f"Upstream task {ref!r} is not a task of this workflow.", "domino_unknown_upstream")
                elif self.task_ids[key] not in depends_on:
                    self.result.origins[("tasks", str(index), "depends_on", str(len(depends_on)))] = loc
                    depends_on.append(self.task_ids[key])
            if node.storage not in _NO_STORAGE and not storage_warned:
                storage_warned = True
                self.warn(
                    node.storage_loc,
                    f"Domino's shared storage ({node.storage}) is not used here: pieces write "
                    "files to their results folder and pass paths as outputs, which later tasks can read.",
                    "domino_shared_storage",
                )
            if found is None:
                continue
            repo, piece = found
            task: dict[str, Any] = {
                "id": task_id,
                "piece": {"repository": repo.name, "version": repo.version, "name": piece.name},
            }
            if isinstance(node.label, str) and node.label.strip() and node.label.strip() != piece.name:
                task["label"] = node.label.strip()
            task["inputs"] = inputs
            if piece.secrets and self.secret_variable is not None:
                task["secrets"] = {s: {"variable": self.secret_variable(repo.name, s)} for s in piece.secrets}
                self.warn(
                    node.loc,
                    f"Piece `{piece.name}` reads its secrets ({quote_list(piece.secrets)}) from the "
                    "Airflow Variables "
                    + quote_list(self.secret_variable(repo.name, s) for s in piece.secrets)
                    + ": set them on the Secrets page (Domino kept secrets per repository, not in workflows).",
                    "domino_secrets",
                )
            task["depends_on"] = depends_on
            resources = self.resources(node, piece)
            if resources:
                task["resources"] = resources
            tasks.append(task)
            position = _dict(node.position)
            if all(
                isinstance(position.get(k), int | float) and not isinstance(position.get(k), bool) for k in ("x", "y")
            ):
                ui_nodes[task_id] = {"x": position["x"], "y": position["y"]}
        if self.result.errors:
            return self.result
        title = name or settings.pop("name", None) or workflow_id or "Imported Domino workflow"
        settings.pop("name", None)
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": workflow_id or _slug(title, WORKFLOW_ID_PATTERN, "imported_workflow", 200),
            "name": title,
            **settings,
            "tasks": tasks,
            "ui": {"nodes": ui_nodes},
        }
        self.result.origins[()] = ()
        self.result.document = document
        return self.result


def convert_domino(
    document: Any,
    installed: Sequence[InstalledRepository],
    *,
    repositories: Mapping[str, RepositoryTarget] | None = None,
    workflow_id: str | None = None,
    name: str | None = None,
    secret_variable: Callable[[str, str], str] | None = None,
) -> ImportResult:
    """Convert a Domino workflow (any of :data:`DOMINO_FORMATS`) into our document.

    A node's piece is looked up, in order: in ``repositories`` (keys: Domino's repository id, its
    repository URL, the image or repository name, the piece name, or ``"*"`` for all); by the
    repository named in the node's image or repository URL (the image's version when installed,
    else the newest installed version with the piece, with a warning); and last by the piece name
    alone when exactly one installed repository has it. ``secret_variable(repository, name)``
    gives the Airflow Variable bound to each secret of a piece (none are bound without it).
    """
    fmt = detect_format(document)
    if fmt not in DOMINO_FORMATS:
        result = ImportResult(format=fmt or "unknown", document=None)
        result.errors.append(
            ValidationIssue.at(
                (),
                "Not a Domino workflow: expected Domino's API body (`workflow`, "
                "`tasks`, `ui_schema`), a stored Domino workflow (`schema.tasks`) or the editor's "
                "export (`workflowNodes`, `workflowPiecesData`).",
                "domino_unknown_format",
            )
        )
        return result
    assert isinstance(document, dict)
    converter = _Converter(document, fmt, installed, repositories or {}, secret_variable)
    return converter.run(workflow_id, name)
