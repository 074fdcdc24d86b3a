import { describe, expect, it } from "vitest";
import type { TaskOut } from "../../api/runs";
import { buildRunGraph } from "./runGraph";

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

  it("falls back to the run's tasks without a document", () => {
    const task = { task_id: "only", label: "", piece: "AddPiece" } as TaskOut;
    expect(buildRunGraph(null, [task]).tasks.map((t) => [t.id, t.label])).toEqual([["only", "only"]]);
  });
});
