import { describe, expect, it } from "vitest";
import type { TaskOut } from "../../api/runs";
import { buildRunGraph, fitZoom, NODE_W, readableAtFit, tasksInOrder, type GraphModel } from "./runGraph";

const piece = { repository: "r", version: "1", name: "AddPiece" };

describe("buildRunGraph", () => {
  it("uses the editor's saved positions and depends_on edges", () => {
    const graph = buildRunGraph(
      {
        id: "w",
        name: "w",
        tasks: [
          { id: "a", piece },
          { id: "b", label: "Second", piece, depends_on: ["a"] },
        ],
        ui: { nodes: { a: { x: 0, y: 0 }, b: { x: 300, y: 40 } } },
      },
      [],
    );
    expect(graph.edges).toEqual([{ source: "a", target: "b" }]);
    expect(graph.tasks).toEqual([
      { id: "a", label: "AddPiece", piece: "AddPiece", x: 0, y: 0 },
      { id: "b", label: "Second", piece: "AddPiece", x: 300, y: 40 },
    ]);
  });

  it("lays the graph out left to right when positions are missing", () => {
    const graph = buildRunGraph({ id: "w", name: "w", tasks: [{ id: "a", piece }, { id: "b", piece, depends_on: ["a"] }] }, []);
    const [a, b] = graph.tasks;
    expect(b!.x).toBeGreaterThan(a!.x);
  });

  it("labels a branch task's edges with their rule", () => {
    const branch = { when: [{ value: { $upstream: { task: "a", output: "total" } }, op: "gt", operand: 3, then: ["b"] }], else: ["c"] };
    const graph = buildRunGraph(
      { id: "w", name: "w", tasks: [{ id: "a", piece, branch }, { id: "b", piece, depends_on: ["a"] }, { id: "c", piece, depends_on: ["a"] }] } as never,
      [],
    );
    expect(graph.edges).toEqual([
      { source: "a", target: "b", label: "if total > 3" },
      { source: "a", target: "c", label: "else" },
    ]);
  });

  it("names steps as the editor does: an approval by its title, a sub-workflow by what it runs", () => {
    const tasks = [
      { id: "sign_off", approval: { title: "Publish the total?" } },
      { id: "child_run", workflow: { id: "clean_orders" } },
    ];
    const graph = buildRunGraph({ id: "w", name: "w", tasks }, []);
    expect(graph.tasks.map((t) => [t.id, t.label])).toEqual([
      ["sign_off", "Publish the total?"],
      ["child_run", "Run clean_orders"],
    ]);
  });

  it("falls back to the run's tasks without a document", () => {
    const task = { task_id: "only", label: "", piece: "AddPiece" } as TaskOut;
    expect(buildRunGraph(null, [task]).tasks.map((t) => [t.id, t.label])).toEqual([["only", "only"]]);
  });
});

describe("run graph legibility", () => {
  const chain = (n: number): GraphModel => ({
    tasks: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, label: `T${i}`, piece: "AddPiece", x: i * (NODE_W + 70), y: 0 })),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `t${i}`, target: `t${i + 1}` })),
  });

  it("computes the fit zoom from the graph's bounds, capped at 1.1", () => {
    expect(fitZoom(chain(1), 2000, 2000)).toBe(1.1);
    const zoom = fitZoom(chain(7), 600, 380);
    expect(zoom).toBeCloseTo(600 / ((7 * NODE_W + 6 * 70) * 1.2), 5);
  });

  it("calls a fitted graph readable only when its smallest text stays at 11 px or more", () => {
    expect(readableAtFit(chain(2), 700, 380)).toBe(true);
    expect(readableAtFit(chain(7), 600, 380)).toBe(false);
    expect(readableAtFit(chain(7), 3000, 380)).toBe(true);
  });

  it("orders tasks after their upstreams, keeping document order otherwise", () => {
    const graph: GraphModel = {
      tasks: [
        { id: "c", label: "C", piece: "", x: 0, y: 0 },
        { id: "a", label: "A", piece: "", x: 0, y: 0 },
        { id: "b", label: "B", piece: "", x: 0, y: 0 },
      ],
      edges: [
        { source: "a", target: "c" },
        { source: "b", target: "c" },
      ],
    };
    expect(tasksInOrder(graph).map((r) => [r.task.id, r.after])).toEqual([
      ["a", []],
      ["b", []],
      ["c", ["a", "b"]],
    ]);
  });
});
