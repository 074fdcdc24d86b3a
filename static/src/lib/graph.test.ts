import { describe, expect, it } from "vitest";
import {
  addTask,
  bindingsOutsideAncestors,
  connect,
  copyTasks,
  dependencyPath,
  disconnect,
  edgesOf,
  moveNodes,
  pasteTasks,
  removeTasks,
  renameTask,
  slugFromName,
  TASK_ID_PATTERN,
  uniqueId,
} from "./graph";
import { emptyWorkflow, type TaskDoc, type WorkflowDoc } from "./workflowDoc";

const piece = (name: string) => ({ repository: "r", version: "1", name });
const task = (id: string, deps: string[] = [], inputs: Record<string, unknown> = {}): TaskDoc => ({
  id,
  piece: piece("P"),
  inputs,
  depends_on: deps,
});
const doc = (...tasks: TaskDoc[]): WorkflowDoc => ({
  ...emptyWorkflow(),
  tasks,
  ui: { nodes: Object.fromEntries(tasks.map((t, i) => [t.id, { x: i * 100, y: 0 }])) },
});

describe("ids", () => {
  it.each([
    ["AddPiece", "add"],
    ["HttpRequestPiece", "http_request"],
    ["HTTPRequestPiece", "http_request"],
    ["Piece", "task"],
    ["3DRenderPiece", "d_render"],
    ["Ünïcode Thing", "n_code_thing"],
  ])("slugFromName(%s) = %s", (name, slug) => {
    expect(slugFromName(name)).toBe(slug);
    expect(slugFromName(name)).toMatch(TASK_ID_PATTERN);
  });

  it("uniqueId appends the first free number", () => {
    expect(uniqueId("add", [])).toBe("add");
    expect(uniqueId("add", ["add", "add_2"])).toBe("add_3");
  });
});

describe("addTask", () => {
  it("adds a task with a unique id derived from the piece, and its position", () => {
    let d = emptyWorkflow();
    const first = addTask(d, piece("AddPiece"), { x: 10.4, y: 20.6 });
    d = first.doc;
    const second = addTask(d, piece("AddPiece"), { x: 0, y: 0 });
    expect(first.id).toBe("add");
    expect(second.id).toBe("add_2");
    expect(second.doc.tasks.map((t) => t.id)).toEqual(["add", "add_2"]);
    expect(second.doc.ui?.nodes?.add).toEqual({ x: 10, y: 21 });
    expect(d.tasks).toHaveLength(1); // immutable
  });
});

describe("connect", () => {
  const d = doc(task("a"), task("b", ["a"]), task("c", ["b"]));

  it("adds depends_on", () => {
    const result = connect(d, "a", "c");
    expect(result.ok && result.doc.tasks[2]!.depends_on).toEqual(["b", "a"]);
  });

  it("refuses a cycle and names it", () => {
    const result = connect(d, "c", "a");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain("`a` → `b` → `c` → `a`");
  });

  it("refuses self, duplicates and unknown tasks", () => {
    expect(connect(d, "a", "a").ok).toBe(false);
    expect(connect(d, "a", "b").ok).toBe(false);
    expect(connect(d, "x", "b").ok).toBe(false);
  });

  it("finds dependency paths", () => {
    expect(dependencyPath(d, "a", "c")).toEqual(["a", "b", "c"]);
    expect(dependencyPath(d, "c", "a")).toBeNull();
  });

  it("disconnects and reports bindings that lost their ancestor", () => {
    const withBinding = doc(task("a"), task("b", ["a"], { x: { $upstream: { task: "a", output: "o" } } }));
    const cut = disconnect(withBinding, "a", "b");
    expect(cut.tasks[1]!.depends_on).toEqual([]);
    expect(bindingsOutsideAncestors(cut, "b")).toEqual(["a"]);
    expect(bindingsOutsideAncestors(withBinding, "b")).toEqual([]);
  });

  it("lists edges", () => {
    expect(edgesOf(d)).toEqual([
      { id: "a->b", source: "a", target: "b" },
      { id: "b->c", source: "b", target: "c" },
    ]);
  });
});

describe("removeTasks", () => {
  it("removes tasks, their edges, layout and bindings to them", () => {
    const d = doc(
      task("a"),
      task("b", ["a"], {
        whole: { $upstream: { task: "a", output: "o" } },
        list: [1, { $upstream: { task: "a", output: "o" } }],
        keep: { $param: "p" },
      }),
    );
    const out = removeTasks(d, ["a"]);
    expect(out.tasks.map((t) => t.id)).toEqual(["b"]);
    expect(out.tasks[0]!.depends_on).toEqual([]);
    expect(out.tasks[0]!.inputs).toEqual({ list: [1, null], keep: { $param: "p" } });
    expect(Object.keys(out.ui!.nodes!)).toEqual(["b"]);
  });
});

describe("renameTask", () => {
  it("renames in dependencies, bindings and layout", () => {
    const d = doc(task("a"), task("b", ["a"], { x: [{ y: { $upstream: { task: "a", output: "o" } } }] }));
    const out = renameTask(d, "a", "z");
    expect(out.tasks[0]!.id).toBe("z");
    expect(out.tasks[1]!.depends_on).toEqual(["z"]);
    expect(out.tasks[1]!.inputs).toEqual({ x: [{ y: { $upstream: { task: "z", output: "o" } } }] });
    expect(out.ui!.nodes!.z).toEqual({ x: 0, y: 0 });
  });
});

describe("copy/paste", () => {
  it("pastes copies with fresh ids, internal links remapped, external kept", () => {
    const d = doc(
      task("src"),
      task("a", ["src"], { v: { $upstream: { task: "src", output: "o" } } }),
      task("b", ["a"], { v: { $upstream: { task: "a", output: "o" } } }),
    );
    const clip = copyTasks(d, ["a", "b"])!;
    const { doc: out, ids } = pasteTasks(d, clip);
    expect(ids).toEqual(["a_2", "b_2"]);
    const [a2, b2] = out.tasks.slice(3);
    expect(a2!.depends_on).toEqual(["src"]);
    expect(b2!.depends_on).toEqual(["a_2"]);
    expect(b2!.inputs).toEqual({ v: { $upstream: { task: "a_2", output: "o" } } });
    expect(out.ui!.nodes!.a_2).toEqual({ x: 140, y: 40 });
  });

  it("drops links to tasks that no longer exist", () => {
    const d = doc(task("src"), task("a", ["src"], { v: { $upstream: { task: "src", output: "o" } } }));
    const clip = copyTasks(d, ["a"])!;
    const { doc: out } = pasteTasks(removeTasks(d, ["src", "a"]), clip);
    expect(out.tasks[0]).toMatchObject({ id: "a", depends_on: [], inputs: {} });
  });

  it("copies nothing from an empty selection", () => {
    expect(copyTasks(doc(task("a")), [])).toBeNull();
  });
});

it("moveNodes rounds positions", () => {
  expect(moveNodes(doc(task("a")), { a: { x: 1.6, y: 2.2 } }).ui!.nodes!.a).toEqual({ x: 2, y: 2 });
});
