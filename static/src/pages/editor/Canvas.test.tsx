import { fireEvent, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pieceDetail, renderInEditor } from "../../test/editorHarness";
import { mockReactFlowBrowser } from "../../test/reactFlow";
import type { WorkflowDoc } from "../../lib/workflowDoc";
import { Canvas } from "./Canvas";
import { estimatedNodeSize } from "./TaskNode";

const ADD = { repository: "demo", version: "1.0.0", name: "AddPiece" };

/** `size` tasks on a grid of 20 columns, opened at the top-left corner at zoom 1. */
function grid(size: number): WorkflowDoc {
  const tasks = Array.from({ length: size }, (_, i) => ({ id: `t${i}`, piece: ADD, inputs: {}, depends_on: i >= 20 ? [`t${i - 20}`] : [] }));
  const nodes = Object.fromEntries(tasks.map((t, i) => [t.id, { x: (i % 20) * 260, y: Math.floor(i / 20) * 140 }]));
  return { schema_version: 1, id: "big", name: "Big", schedule: null, tasks, ui: { nodes, viewport: { x: 0, y: 0, zoom: 1 } } };
}

/** The canvas alone, in the editor's context, showing `doc`. */
function renderCanvas(doc: WorkflowDoc) {
  renderInEditor(
    () => (
      <ReactFlowProvider>
        <Canvas selected={[]} setSelected={() => undefined} selectedEdges={[]} setSelectedEdges={() => undefined} replace={() => undefined} onDropPiece={() => undefined} />
      </ReactFlowProvider>
    ),
    { doc, pieces: [pieceDetail(ADD)] },
  );
}

/** Ids of every task node element the canvas ever put in the document (also those removed again). */
function watchRenderedNodes(): { ids: Set<string>; stop: () => void } {
  const ids = new Set<string>();
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const added of record.addedNodes) {
        if (!(added instanceof HTMLElement)) continue;
        for (const el of [added, ...added.querySelectorAll<HTMLElement>(".react-flow__node")])
          if (el.classList.contains("react-flow__node") && el.dataset.id) ids.add(el.dataset.id);
      }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  return { ids, stop: () => observer.disconnect() };
}

describe("Canvas of a large workflow", () => {
  beforeEach(() => mockReactFlowBrowser());
  let watch: ReturnType<typeof watchRenderedNodes>;
  afterEach(() => watch.stop());

  it("renders only the nodes in view on opening, not every node once to measure it", async () => {
    watch = watchRenderedNodes();
    renderCanvas(grid(300));
    expect(await screen.findByTestId("task-node-t0")).toBeInTheDocument();
    expect(watch.ids.has("t0")).toBe(true);
    // The stubbed pane is 200 x 60 px: a handful of nodes at most, never the 300.
    expect(watch.ids.size).toBeLessThan(10);
  });
});

describe("Canvas overview map", () => {
  beforeEach(() => mockReactFlowBrowser());
  afterEach(() => {
    delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  });

  function renderAtWidth(width: number) {
    // The width the canvas was laid out at (jsdom lays nothing out).
    Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => width });
    renderCanvas(grid(3));
  }

  it("is shown from the start on a canvas at least 720 px wide", async () => {
    renderAtWidth(900);
    expect(await screen.findByRole("button", { name: "Hide the overview map" })).toBeInTheDocument();
    expect(document.querySelector(".react-flow__minimap")).not.toBeNull();
  });

  it("starts hidden on a narrower canvas (it would cover nodes), and its button shows it", async () => {
    renderAtWidth(600);
    expect(await screen.findByTestId("task-node-t0")).toBeInTheDocument();
    expect(document.querySelector(".react-flow__minimap")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show the overview map" }));
    expect(await screen.findByRole("button", { name: "Hide the overview map" })).toBeInTheDocument();
  });
});

describe("estimatedNodeSize", () => {
  const base = { taskId: "t", label: "AddPiece", pieceName: "AddPiece", repository: "demo", errorCount: 0, missingPiece: false };

  it("is the fixed width and the minimum height for a node of two lines, with its handles at mid-height on both sides", () => {
    const size = estimatedNodeSize(base);
    expect(size.width).toBe(200);
    expect(size.height).toBe(64);
    expect(size.handles.map((h) => [h.type, h.x, h.y + (h.width ?? 0) / 2])).toEqual([
      ["target", -7, 32],
      ["source", 193, 32],
    ]);
  });

  it("grows by a line per part shown: outputs (two lines when long), source, kind, missing piece, flow badges", () => {
    expect(estimatedNodeSize({ ...base, outputs: ["total"] }).height).toBe(66);
    expect(estimatedNodeSize({ ...base, outputs: ["a_rather_long_output", "and_another_one"] }).height).toBe(82);
    expect(estimatedNodeSize({ ...base, outputs: ["total"], showSource: true, kind: "approval", missingPiece: true }).height).toBe(114);
    expect(estimatedNodeSize({ ...base, flow: [{ kind: "branch", text: "⑂ branch", title: "" }] }).height).toBe(70);
  });
});
