"""The semantic checks of a parsed workflow against the installed pieces: ids, dependencies, pieces,
secrets, inputs and their bindings, for-each, branches, schedule and layout."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from jsonschema import Draft202012Validator, validators

from airflow_domino_plugin.workflows.bindings import (
    BindingError,
    FoundBinding,
    ParamBinding,
    UpstreamBinding,
    is_binding_like,
    parse_binding,
    scan_bindings,
)
from airflow_domino_plugin.workflows.catalog import PieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import (
    KubernetesSecret,
    Task,
    Workflow,
)
from airflow_domino_plugin.workflows.dynamic_outputs import TaskOutputs, task_outputs
from airflow_domino_plugin.workflows.flow import direct_downstreams, items_task_id, operand_error
from airflow_domino_plugin.workflows.issues import (
    Loc,
    ValidationIssue,
    did_you_mean,
    format_path,
    quote_list,
)
from airflow_domino_plugin.workflows.params import json_type_of, param_definition_issues, param_json_schema
from airflow_domino_plugin.workflows.type_compat import (
    base_type,
    branches,
    describe_type,
    incompatibility,
    normalise_schema,
    nullable_warning,
    subschema_at,
)
from airflow_domino_plugin.workflows.validation.messages import schema_error_messages
from airflow_domino_plugin.workflows.validation.parsing import ParsedWorkflow

# ============================================================== binding-aware JSON schema validation


class _Bound:
    """Stands in for a binding while validating literal inputs: every keyword accepts it."""

    __slots__ = ()


def _skipping_bound(check: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        if isinstance(instance, _Bound):
            return None
        return check(validator, value, instance, schema)

    return wrapped


_BindingAwareValidator = validators.extend(
    Draft202012Validator,
    {keyword: _skipping_bound(check) for keyword, check in Draft202012Validator.VALIDATORS.items()},
)


def _with_placeholders(value: Any) -> Any:
    if is_binding_like(value):
        return _Bound()
    if isinstance(value, Mapping):
        return {key: _with_placeholders(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_placeholders(item) for item in value]
    return value


# ============================================================== semantic checks


def _task_loc(index: int, *rest: str | int) -> Loc:
    return ("tasks", index, *rest)


class Checker:
    def __init__(
        self,
        parsed: ParsedWorkflow,
        catalog: PieceCatalog,
        existing_foreign_dag_ids: AbstractSet[str],
        workflows: Mapping[str, Workflow] | None = None,
    ) -> None:
        self.workflows: Mapping[str, Workflow] = workflows or {}  # other deployed workflows, by id
        self.parsed = parsed
        self.wf = parsed.workflow
        self.catalog = catalog
        self.foreign = existing_foreign_dag_ids
        self.issues: list[ValidationIssue] = []
        self.broken = parsed.broken_fields
        self.deps: dict[str, list[str]] = dict(parsed.broken_task_deps)
        self.first_index: dict[str, int] = {}
        for position, task in enumerate(self.wf.tasks):
            self.deps.setdefault(task.id, list(task.depends_on))
            self.first_index.setdefault(task.id, parsed.task_index[position])
        self.task_ids = set(self.deps)
        self.specs: dict[str, PieceSpec | None] = {}
        self.outputs: dict[str, TaskOutputs] = {}
        self.warnings: list[ValidationIssue] = []

    def add(self, loc: Loc, message: str, code: str) -> None:
        self.issues.append(ValidationIssue.at(loc, message, code))

    def warn(self, loc: Loc, message: str, code: str) -> None:
        self.warnings.append(ValidationIssue.at(loc, message, code))

    def run(self) -> list[ValidationIssue]:
        from airflow_domino_plugin.workflows.validation.subflows import check_schedule_on, check_workflow_cycles

        self.check_settings()
        check_schedule_on(self)
        check_workflow_cycles(self)
        scheduled = (self.wf.schedule is not None and "schedule" not in self.broken) or self.wf.schedule_on is not None
        self.issues.extend(param_definition_issues(self.wf.params, scheduled=scheduled))
        self.check_graph()
        for position, task in enumerate(self.wf.tasks):
            index = self.parsed.task_index[position]
            spec = self.check_piece(index, task)
            self.specs.setdefault(task.id, spec)
            if spec is not None:
                self.check_secrets(index, task, spec)
                if task.id not in self.outputs:
                    self.outputs[task.id] = self.check_declared_outputs(index, task, spec)
        for task in self.wf.tasks:
            if task.for_each is not None and task.id in self.outputs:
                self.outputs[task.id] = _mapped_outputs(self.outputs[task.id])
        downstreams = direct_downstreams(self.wf.tasks)
        for position, task in enumerate(self.wf.tasks):
            self.check_inputs(self.parsed.task_index[position], task, self.specs.get(task.id))
            self.check_for_each(self.parsed.task_index[position], task)
            self.check_branch(self.parsed.task_index[position], task, downstreams.get(task.id, []))
        self.check_ui()
        return self.issues

    # ---------------------------------------------------------------- settings

    def check_settings(self) -> None:
        wf, broken = self.wf, self.broken
        if "id" not in broken and wf.id in self.foreign:
            self.add(
                ("id",),
                f"A DAG with id `{wf.id}` already exists in Airflow and is not managed by this plugin; "
                "choose another workflow id.",
                "dag_id_taken",
            )
        if {"schedule", "start_date"}.isdisjoint(broken) and wf.schedule is not None and wf.start_date is None:
            self.add(
                ("start_date",),
                f"`start_date` is required when a schedule is set (schedule is `{wf.schedule}`); "
                "expected a timezone-aware timestamp such as 2026-11-01T00:00:00Z.",
                "start_date_required",
            )
        if (
            {"start_date", "end_date"}.isdisjoint(broken)
            and wf.start_date is not None
            and wf.end_date is not None
            and wf.end_date <= wf.start_date
        ):
            self.add(
                ("end_date",),
                f"`end_date` ({wf.end_date.isoformat()}) must be after `start_date` ({wf.start_date.isoformat()}).",
                "end_before_start",
            )
        if wf.schedule == "@continuous" and wf.max_active_runs not in (None, 1):
            self.add(
                ("max_active_runs",),
                f"A `@continuous` schedule allows only one run at a time: expected 1 (or null), "
                f"got {wf.max_active_runs}.",
                "invalid_value",
            )

    # ---------------------------------------------------------------- graph

    def check_graph(self) -> None:
        seen: dict[str, int] = {}
        for position, task in enumerate(self.wf.tasks):
            index = self.parsed.task_index[position]
            if task.id in seen:
                self.add(
                    _task_loc(index, "id"),
                    f"Duplicate task id `{task.id}`: already used by tasks[{seen[task.id]}]; task ids must be unique.",
                    "duplicate_task_id",
                )
            else:
                seen[task.id] = index
            listed: set[str] = set()
            for dep_index, dep in enumerate(task.depends_on):
                loc = _task_loc(index, "depends_on", dep_index)
                if dep == task.id:
                    self.add(
                        loc, f"Task `{task.id}` depends on itself; remove it from `depends_on`.", "dependency_cycle"
                    )
                elif dep not in self.task_ids:
                    self.add(
                        loc,
                        f"`depends_on` names unknown task `{dep}`; expected one of "
                        f"{quote_list(sorted(self.task_ids - {task.id}))}.{did_you_mean(dep, self.task_ids)}",
                        "unknown_dependency",
                    )
                elif dep in listed:
                    self.add(loc, f"Task `{dep}` is listed twice in `depends_on`.", "duplicate_dependency")
                listed.add(dep)
        for cycle in self._cycles():
            first = cycle[0]
            start = self.first_index.get(first)
            if start is None:
                continue
            dep_index = self.deps[first].index(cycle[1])
            chain = f"`{cycle[0]}` depends on `{cycle[1]}`" + "".join(
                f", which depends on `{node}`" for node in cycle[2:]
            )
            self.add(
                _task_loc(start, "depends_on", dep_index),
                f"Dependency cycle: {chain}. Remove one of these dependencies.",
                "dependency_cycle",
            )

    def _cycles(self) -> list[list[str]]:
        """One cycle (first node repeated at the end) per strongly connected component."""
        order = [t.id for t in self.wf.tasks] + [t for t in self.deps if t not in self.first_index]
        graph = {node: [d for d in self.deps.get(node, []) if d in self.deps and d != node] for node in order}
        index_of: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        components: list[list[str]] = []
        counter = 0
        for start in order:
            if start in index_of:
                continue
            work: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
            index_of[start] = low[start] = counter
            counter += 1
            stack.append(start)
            on_stack.add(start)
            while work:
                node, children = work[-1]
                child = next(children, None)
                if child is not None:
                    if child not in index_of:
                        index_of[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(graph[child])))
                    elif child in on_stack:
                        low[node] = min(low[node], index_of[child])
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index_of[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
        cycles = []
        for component in components:
            members = set(component)
            start = min(component, key=lambda n: order.index(n))
            path = [start]
            while True:
                nxt = next(d for d in graph[path[-1]] if d in members)
                if nxt in path:
                    cycle = path[path.index(nxt) :]
                    cycles.append([*cycle, nxt])
                    break
                path.append(nxt)
        return cycles

    def ancestors(self, task_id: str) -> set[str]:
        found: set[str] = set()
        pending = list(self.deps.get(task_id, []))
        while pending:
            node = pending.pop()
            if node not in found:
                found.add(node)
                pending.extend(self.deps.get(node, []))
        return found

    # ---------------------------------------------------------------- pieces and secrets

    def check_piece(self, index: int, task: Task) -> PieceSpec | None:
        ref = task.piece
        if task.approval is not None:  # an approval/input step: its response stands in for a piece's outputs
            from airflow_domino_plugin.workflows.validation.approvals import check_approval

            return check_approval(self, index, task)
        if ref is None:  # not a piece task: a sub-workflow's params and outputs stand in for a piece's
            from airflow_domino_plugin.workflows.validation.subflows import check_sub_workflow

            return check_sub_workflow(self, index, task)
        spec = self.catalog.get_piece(ref.repository, ref.version, ref.name)
        if spec is not None:
            return spec
        versions = self.catalog.versions_of(ref.repository)
        if not versions:
            self.add(
                _task_loc(index, "piece", "repository"),
                f"Pieces repository `{ref.repository}` is not installed; install it or pick a piece from an "
                "installed repository.",
                "unknown_repository",
            )
        elif ref.version not in versions:
            self.add(
                _task_loc(index, "piece", "version"),
                f"Version `{ref.version}` of repository `{ref.repository}` is not installed; installed "
                f"version(s): {quote_list(versions)}.",
                "unknown_piece_version",
            )
        else:
            names_of = getattr(self.catalog, "piece_names", None)
            names: list[str] = list(names_of(ref.repository, ref.version)) if callable(names_of) else []
            listing = f" Its pieces: {quote_list(names)}." if names else ""
            self.add(
                _task_loc(index, "piece", "name"),
                f"Repository `{ref.repository}` version `{ref.version}` has no piece `{ref.name}`."
                f"{did_you_mean(ref.name, names)}{listing}",
                "unknown_piece",
            )
        return None

    def check_secrets(self, index: int, task: Task, spec: PieceSpec) -> None:
        schema = spec.secrets_schema or {}
        declared: Mapping[str, Any] = schema.get("properties") or {}
        required = [name for name in schema.get("required") or [] if isinstance(name, str)]
        for name in task.secrets:
            if name not in declared:
                known = f"its secrets are {quote_list(declared)}" if declared else "it declares no secrets"
                self.add(
                    _task_loc(index, "secrets", name),
                    f"Piece `{spec.name}` has no secret `{name}`; {known}.{did_you_mean(name, declared)}",
                    "unknown_secret",
                )
        runner = self.wf.task_policy(task).runner
        for name, source in task.secrets.items():
            if isinstance(source, KubernetesSecret) and runner != "kubernetes":
                self.add(
                    _task_loc(index, "secrets", name),
                    f"Secret `{name}` reads a Kubernetes Secret, which only the `kubernetes` runner can use; "
                    f"expected the task's runner to be `kubernetes`, or a Variable/Connection binding.",
                    "kubernetes_secret_needs_kubernetes_runner",
                )
        for name in required:
            if name not in task.secrets:
                self.add(
                    _task_loc(index, "secrets", name),
                    f"Secret `{name}` required by piece `{spec.name}` is not bound; expected "
                    f'{{"variable": "<Airflow Variable key>"}} or {{"connection": "<conn id>", "field": "password"}}.',
                    "missing_secret",
                )

    def check_declared_outputs(self, index: int, task: Task, spec: PieceSpec) -> TaskOutputs:
        """The task's outputs, declared ones included; a name declared twice is an error."""
        outputs = task_outputs(spec.input_schema, spec.output_schema, task.inputs)
        seen: set[str] = set()
        static = spec.output_schema.get("properties") or {}
        for declared in outputs.declared:
            if declared.name in seen or declared.name in static:
                self.add(
                    _task_loc(index, "inputs", *declared.loc),
                    f"Output `{declared.name}` is declared twice (outputs of piece `{spec.name}`: "
                    f"{quote_list([*static, *{d.name: None for d in outputs.declared}])}); expected unique names.",
                    "duplicate_output",
                )
            seen.add(declared.name)
        return outputs

    # ---------------------------------------------------------------- inputs

    def check_inputs(self, index: int, task: Task, spec: PieceSpec | None) -> None:
        base = _task_loc(index, "inputs")
        found, malformed = scan_bindings(task.inputs, base)
        for bad in malformed:
            self.add(bad.loc, bad.message, "malformed_binding")
        schema: Mapping[str, Any] = spec.input_schema if spec is not None else {}
        properties: Mapping[str, Any] = schema.get("properties") or {}
        known_inputs = dict(task.inputs)
        closed = schema.get("additionalProperties", False) in (False, None)
        if spec is not None and "properties" in schema and closed:
            for name in task.inputs:
                if name not in properties:
                    known_inputs.pop(name)
                    listing = (
                        f"Its inputs: {quote_list(properties, limit=30)}." if properties else "It takes no inputs."
                    )
                    self.add(
                        (*base, name),
                        f"Piece `{spec.name}` has no input `{name}`.{did_you_mean(name, properties)} {listing}",
                        "unknown_input",
                    )
        if task.for_each is not None:
            # The for-each item fills this input: it is bound (from upstream), never missing.
            ref = task.for_each.items.upstream
            known_inputs.setdefault(task.for_each.input, {"$upstream": {"task": ref.task, "output": ref.output}})
        handled: set[Loc] = set()  # locations already reported as must-be-bound
        if spec is not None:
            self._check_from_upstream(known_inputs, schema, schema, base, spec, handled)
            self._check_literals(known_inputs, schema, base, spec, handled, task.id)
        for binding in found:
            rel = binding.loc[len(base) :]
            if rel and rel[0] not in known_inputs:
                continue
            target = subschema_at(schema, rel, schema) if spec is not None else None
            self._check_binding(index, task, binding, target, schema)

    def _check_from_upstream(
        self,
        value: Any,
        schema: Any,
        root: Mapping[str, Any],
        loc: Loc,
        spec: PieceSpec,
        handled: set[Loc],
        inherited: str | None = None,
    ) -> None:
        """Check ``from_upstream`` modes inside a literal ``value``, at any depth.

        A place's mode is its own declared one, else the nearest enclosing place's: a parent's
        mode governs binding the field as a whole (and places inside it that declare nothing);
        a nested field that declares its own mode follows it (Domino's key/value argument
        lists: the list is ``never`` bound, each item's value ``always``).
        """
        node = self._branch_for(value, schema, root)
        if node is None:
            return
        places: list[tuple[str | int, Any, bool]] = []  # (key, schema, present)
        if isinstance(value, Mapping):
            props: Mapping[str, Any] = node.get("properties") or {}
            extra = node.get("additionalProperties", {})
            extra_schema = extra if isinstance(extra, Mapping) else {}
            places = [(name, prop, name in value) for name, prop in props.items()]
            places += [(str(key), extra_schema, True) for key in value if key not in props]
        elif isinstance(value, list):
            prefix = node.get("prefixItems")
            for position in range(len(value)):
                if isinstance(prefix, list) and position < len(prefix):
                    places.append((position, prefix[position], True))
                else:
                    places.append((position, node.get("items", {}), True))
        for key, prop, present in places:
            item = value[key] if present else None
            declared = _declared_mode(prop, root)
            mode = declared or inherited
            here = (*loc, key)
            label = format_path(here[3:])
            if mode == "always":
                binding = _safe_binding(item)
                if not isinstance(binding, UpstreamBinding):
                    handled.add(here)
                    what = (
                        "it is missing"
                        if not present
                        else "it is given as a run parameter"
                        if isinstance(binding, ParamBinding)
                        else "it has a literal value"
                    )
                    self.add(
                        here,
                        f"Input `{label}` of piece `{spec.name}` must come from an upstream task, but {what}; "
                        "connect a task that runs before it and bind this input to one of its outputs.",
                        "input_must_be_bound",
                    )
                continue
            if not present:
                continue
            if is_binding_like(item):
                if mode == "never" and isinstance(_safe_binding(item), UpstreamBinding):
                    why = "" if declared else f" (it is part of `{format_path(loc[3:])}`, which is never bound)"
                    self.add(
                        here,
                        f"Input `{label}` of piece `{spec.name}` cannot take an upstream output{why}; "
                        "give a literal value or a run parameter.",
                        "input_cannot_be_bound",
                    )
                continue
            self._check_from_upstream(item, prop, root, here, spec, handled, mode)

    @staticmethod
    def _branch_for(value: Any, schema: Any, root: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The (first) alternative of ``schema`` that describes ``value``'s JSON type."""
        node = normalise_schema(schema, root)
        alternatives = branches(node, root)
        if alternatives is None:
            return node
        kind = json_type_of(value)
        for alternative in alternatives:
            if base_type(alternative, root) == kind:
                return alternative
        return None

    def _check_literals(
        self,
        inputs: Mapping[str, Any],
        schema: Mapping[str, Any],
        base: Loc,
        spec: PieceSpec,
        skip: set[Loc],
        task_id: str,
    ) -> None:
        try:
            validator = _BindingAwareValidator(dict(schema))
            errors = list(validator.iter_errors(_with_placeholders(dict(inputs))))
        except Exception as exc:  # a broken schema in piece metadata must not crash validation
            self.add(
                base,
                f"The input schema of piece `{spec.name}` cannot be used for validation ({exc}); "
                "reinstall the repository.",
                "piece_schema_error",
            )
            return
        for error in errors:
            for loc, message, code in schema_error_messages(error, schema, base):
                if code == "missing_input" and len(loc) == len(base) + 1:
                    # A top-level input: say what to do in words (the GUI shows this next to the field).
                    name = loc[-1]
                    prop = (schema.get("properties") or {}).get(name)
                    kind = f" ({describe_type(prop, schema)})" if prop is not None else ""
                    message = (
                        f"Input `{name}` of task `{task_id}` needs a value{kind}: type it, "
                        "or bind it to an output of an upstream task."
                    )
                if not any(loc[: len(done)] == done for done in skip):
                    self.add(loc, message, code)

    def _check_binding(
        self, index: int, task: Task, found: FoundBinding, target: Mapping[str, Any] | None, root: Mapping[str, Any]
    ) -> None:
        where = format_path(found.loc[3:])
        binding = found.binding
        if isinstance(binding, ParamBinding):
            param = self.wf.params.get(binding.name)
            if param is None:
                if binding.name not in self.parsed.declared_params:
                    self.add(
                        found.loc,
                        f"Unknown run parameter `{binding.name}`; declared parameters: "
                        f"{quote_list(self.wf.params)}.{did_you_mean(binding.name, self.wf.params)}",
                        "unknown_param",
                    )
                return
            if target is not None:
                reason = incompatibility(param_json_schema(param), target, target_root=root)
                if reason:
                    self.add(
                        found.loc,
                        f"Parameter `{binding.name}` ({describe_type(param_json_schema(param))}) cannot feed "
                        f"input `{where}`, which expects {describe_type(target, root)}: {reason}.",
                        "incompatible_type",
                    )
            return
        if binding.task == task.id:
            self.add(found.loc, f"Task `{task.id}` cannot use its own output `{binding.output}`.", "upstream_self")
            return
        if binding.task not in self.task_ids:
            self.add(
                found.loc,
                f"`$upstream` names unknown task `{binding.task}`; expected one of "
                f"{quote_list(sorted(self.task_ids - {task.id}))}.{did_you_mean(binding.task, self.task_ids)}",
                "unknown_upstream_task",
            )
            return
        if binding.task not in self.ancestors(task.id):
            self.add(
                found.loc,
                f"Task `{binding.task}` is not upstream of `{task.id}`; add `{binding.task}` to "
                f"`depends_on` of `{task.id}` (directly or through another task) to use its outputs.",
                "upstream_not_ancestor",
            )
        upstream_spec = self.specs.get(binding.task)
        if upstream_spec is None:
            return
        produced = self.outputs.get(binding.task) or TaskOutputs(schema=upstream_spec.output_schema)
        outputs = produced.properties
        if binding.output not in outputs:
            if produced.open_ended:
                return  # declared by a run parameter: checked when the task runs
            declared = " (declared in its inputs)" if produced.declared else ""
            self.add(
                found.loc,
                f"Task `{binding.task}` (piece `{upstream_spec.name}`) has no output `{binding.output}`; "
                f"its outputs{declared}: {quote_list(outputs)}.{did_you_mean(binding.output, outputs)}",
                "unknown_output",
            )
            return
        if target is None:
            return
        source = outputs[binding.output]
        source_root = produced.schema
        reason = incompatibility(source, target, source_root=source_root, target_root=root)
        if reason:
            source_text = describe_type(source, source_root)
            warning = nullable_warning(source, target, source_root=source_root, target_root=root)
            if warning:
                self.warn(
                    found.loc,
                    f"Output `{binding.output}` of task `{binding.task}` ({source_text}) may be null, and input "
                    f"`{where}` expects {describe_type(target, root)}: if it is null when `{task.id}` runs, "
                    f"`{task.id}` fails.",
                    "nullable_upstream",
                )
                return
            self.add(
                found.loc,
                f"Output `{binding.output}` of task `{binding.task}` ({source_text}) cannot feed input `{where}`, "
                f"which expects {describe_type(target, root)}: {reason}.",
                "incompatible_type",
            )

    # ---------------------------------------------------------------- for-each and branches

    def _upstream_ref_issue(self, loc: Loc, task: Task, upstream: str, output: str, *, self_ok: bool) -> bool:
        """Report an unknown/non-ancestor task or unknown output at ``loc``; True when the reference is usable."""
        if upstream == task.id and not self_ok:
            self.add((*loc, "task"), f"Task `{task.id}` cannot use its own output `{output}` here.", "upstream_self")
            return False
        if upstream not in self.task_ids:
            self.add(
                (*loc, "task"),
                f"`$upstream` names unknown task `{upstream}`; expected one of "
                f"{quote_list(sorted(self.task_ids - {task.id}))}.{did_you_mean(upstream, self.task_ids)}",
                "unknown_upstream_task",
            )
            return False
        if upstream != task.id and upstream not in self.ancestors(task.id):
            self.add(
                (*loc, "task"),
                f"Task `{upstream}` is not upstream of `{task.id}`; add `{upstream}` to `depends_on` of "
                f"`{task.id}` (directly or through another task) to use its outputs.",
                "upstream_not_ancestor",
            )
            return False
        produced = self.outputs.get(upstream)
        if produced is not None and output not in produced.properties and not produced.open_ended:
            self.add(
                (*loc, "output"),
                f"Task `{upstream}` has no output `{output}`; its outputs: {quote_list(produced.properties)}."
                f"{did_you_mean(output, produced.properties)}",
                "unknown_output",
            )
            return False
        return True

    def _local_runner_only(self, index: int, task: Task, field: str) -> None:
        runner = self.wf.task_policy(task).runner
        if runner in ("docker", "kubernetes"):
            self.add(
                _task_loc(index, field),
                f"`{field}` runs with the `subprocess` runner only for now; task `{task.id}` uses `{runner}`.",
                "runner_unsupported",
            )

    def check_for_each(self, index: int, task: Task) -> None:
        for_each = task.for_each
        if for_each is None:
            return
        base = _task_loc(index, "for_each")
        self._local_runner_only(index, task, "for_each")
        for other in self.wf.tasks:
            if other.id == items_task_id(task.id):
                self.add(
                    _task_loc(self.first_index.get(other.id, index), "id"),
                    f"Task id `{other.id}` is reserved for the list of for-each task `{task.id}`; expected another id.",
                    "reserved_task_id",
                )
        if task.branch is not None:
            self.add(
                _task_loc(index, "branch"),
                f"Task `{task.id}` has both `for_each` and `branch`; expected one of them (put the branch on a "
                "task downstream of the for-each).",
                "for_each_with_branch",
            )
        spec = self.specs.get(task.id)
        properties: Mapping[str, Any] = (spec.input_schema.get("properties") or {}) if spec is not None else {}
        target: Mapping[str, Any] | None = None
        if for_each.input in task.inputs:
            self.add(
                (*base, "input"),
                f"Input `{for_each.input}` receives the for-each item, so it cannot also be set in `inputs`; "
                f"remove `inputs.{for_each.input}`.",
                "for_each_input_set",
            )
        elif spec is not None and "properties" in spec.input_schema:
            if for_each.input not in properties:
                self.add(
                    (*base, "input"),
                    f"Piece `{spec.name}` has no input `{for_each.input}`; its inputs: {quote_list(properties)}."
                    f"{did_you_mean(for_each.input, properties)}",
                    "unknown_input",
                )
            else:
                target = properties[for_each.input]
        ref = for_each.items.upstream
        loc = (*base, "items", "$upstream")
        if not self._upstream_ref_issue(loc, task, ref.task, ref.output, self_ok=False):
            return
        produced = self.outputs.get(ref.task)
        if produced is None or ref.output not in produced.properties:
            return
        source = normalise_schema(produced.properties[ref.output], produced.schema)
        if base_type(source, produced.schema) != "array":
            self.add(
                (*base, "items"),
                f"Output `{ref.output}` of task `{ref.task}` is {describe_type(source, produced.schema)}, not a "
                "list; for_each expects an output of type array.",
                "for_each_not_list",
            )
            return
        item = source.get("items")
        if target is None or not isinstance(item, Mapping) or spec is None:
            return
        reason = incompatibility(item, target, source_root=produced.schema, target_root=spec.input_schema)
        if reason:
            self.add(
                (*base, "input"),
                f"The items of output `{ref.output}` of task `{ref.task}` ({describe_type(item, produced.schema)}) "
                f"cannot feed input `{for_each.input}`, which expects "
                f"{describe_type(target, spec.input_schema)}: {reason}.",
                "incompatible_type",
            )

    def check_branch(self, index: int, task: Task, downstream: Sequence[str]) -> None:
        branch = task.branch
        if branch is None:
            return
        base = _task_loc(index, "branch")
        self._local_runner_only(index, task, "branch")
        for number, rule in enumerate(branch.when):
            loc = (*base, "when", number)
            error = operand_error(rule.op, rule.operand, "operand" in rule.model_fields_set)
            if error:
                self.add((*loc, "operand"), f"{error}.", "invalid_branch_operand")
            try:
                binding = parse_binding(rule.value)
            except BindingError as exc:
                self.add((*loc, "value"), f"{exc}", "malformed_binding")
                binding = None
            if binding is None:
                if not is_binding_like(rule.value):
                    self.add(
                        (*loc, "value"),
                        'A branch rule compares a run-time value; expected {"$upstream": {"task", "output"}} '
                        '(this task or an ancestor) or {"$param": name}.',
                        "invalid_branch_value",
                    )
            elif isinstance(binding, ParamBinding):
                if binding.name not in self.wf.params and binding.name not in self.parsed.declared_params:
                    self.add(
                        (*loc, "value", "$param"),
                        f"Unknown run parameter `{binding.name}`; declared parameters: {quote_list(self.wf.params)}."
                        f"{did_you_mean(binding.name, self.wf.params)}",
                        "unknown_param",
                    )
            else:
                self._upstream_ref_issue((*loc, "value", "$upstream"), task, binding.task, binding.output, self_ok=True)
        targets = [((*base, "when", n, "then", k), t) for n, r in enumerate(branch.when) for k, t in enumerate(r.then)]
        targets += [((*base, "else", k), t) for k, t in enumerate(branch.else_)]
        for loc, target in targets:
            if target not in self.task_ids:
                self.add(
                    loc,
                    f"Branch target `{target}` is not a task of this workflow; expected one of the tasks directly "
                    f"downstream of `{task.id}`: {quote_list(downstream)}.{did_you_mean(target, downstream)}",
                    "unknown_branch_target",
                )
            elif target not in downstream:
                self.add(
                    loc,
                    f"Branch target `{target}` is not directly downstream of `{task.id}`; expected one of "
                    f"{quote_list(downstream) if downstream else 'none (no task depends on it)'}; add "
                    f"`{task.id}` to `depends_on` of `{target}`.",
                    "branch_target_not_downstream",
                )

    # ---------------------------------------------------------------- editor layout

    def check_ui(self) -> None:
        if "ui" in self.broken:
            return
        for name in self.wf.ui.nodes:
            if name not in self.task_ids:
                self.add(
                    ("ui", "nodes", name),
                    f"Layout entry for unknown task `{name}`; expected a task id "
                    f"({quote_list(sorted(self.task_ids))}).",
                    "ui_unknown_task",
                )


def _mapped_outputs(outputs: TaskOutputs) -> TaskOutputs:
    """A for-each task's outputs as its downstream tasks see them: one list of the instances' values each."""
    schema = dict(outputs.schema)
    schema["properties"] = {name: {"type": "array", "items": sub} for name, sub in outputs.properties.items()}
    schema.pop("required", None)
    return TaskOutputs(schema=schema, declared=outputs.declared, open_ended=outputs.open_ended)


def _declared_mode(schema: Any, root: Mapping[str, Any]) -> str | None:
    """The ``from_upstream`` a place declares (on the field, else on its resolved schema)."""
    mode = schema.get("from_upstream") if isinstance(schema, Mapping) else None
    if mode is None:
        mode = normalise_schema(schema, root).get("from_upstream")
    return mode if mode in ("always", "never", "allowed") else None


def _safe_binding(value: Any) -> UpstreamBinding | ParamBinding | None:
    try:
        return parse_binding(value)
    except BindingError:
        return None
