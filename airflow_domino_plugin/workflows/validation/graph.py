"""Checks of the task graph: unique task ids, known dependencies, no cycles, and layout entries for known tasks."""

from __future__ import annotations

from collections.abc import Iterator

from airflow_domino_plugin.workflows.issues import did_you_mean, quote_list
from airflow_domino_plugin.workflows.validation.state import CheckState, task_loc


def check_graph(state: CheckState) -> None:
    seen: dict[str, int] = {}
    for position, task in enumerate(state.wf.tasks):
        index = state.parsed.task_index[position]
        if task.id in seen:
            state.add(
                task_loc(index, "id"),
                f"Duplicate task id `{task.id}`: already used by tasks[{seen[task.id]}]; task ids must be unique.",
                "duplicate_task_id",
            )
        else:
            seen[task.id] = index
        listed: set[str] = set()
        for dep_index, dep in enumerate(task.depends_on):
            loc = task_loc(index, "depends_on", dep_index)
            if dep == task.id:
                state.add(loc, f"Task `{task.id}` depends on itself; remove it from `depends_on`.", "dependency_cycle")
            elif dep not in state.task_ids:
                state.add(
                    loc,
                    f"`depends_on` names unknown task `{dep}`; expected one of "
                    f"{quote_list(sorted(state.task_ids - {task.id}))}.{did_you_mean(dep, state.task_ids)}",
                    "unknown_dependency",
                )
            elif dep in listed:
                state.add(loc, f"Task `{dep}` is listed twice in `depends_on`.", "duplicate_dependency")
            listed.add(dep)
    for cycle in _cycles(state):
        first = cycle[0]
        start = state.first_index.get(first)
        if start is None:
            continue
        dep_index = state.deps[first].index(cycle[1])
        chain = f"`{cycle[0]}` depends on `{cycle[1]}`" + "".join(f", which depends on `{node}`" for node in cycle[2:])
        state.add(
            task_loc(start, "depends_on", dep_index),
            f"Dependency cycle: {chain}. Remove one of these dependencies.",
            "dependency_cycle",
        )


def _cycles(state: CheckState) -> list[list[str]]:
    """One cycle (first node repeated at the end) per strongly connected component."""
    order = [t.id for t in state.wf.tasks] + [t for t in state.deps if t not in state.first_index]
    graph = {node: [d for d in state.deps.get(node, []) if d in state.deps and d != node] for node in order}
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


def check_ui(state: CheckState) -> None:
    if "ui" in state.broken:
        return
    for name in state.wf.ui.nodes:
        if name not in state.task_ids:
            state.add(
                ("ui", "nodes", name),
                f"Layout entry for unknown task `{name}`; expected a task id ({quote_list(sorted(state.task_ids))}).",
                "ui_unknown_task",
            )
