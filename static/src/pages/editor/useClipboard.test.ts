import { act, renderHook } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { emptyWorkflow, type TaskDoc, type WorkflowDoc } from "../../lib/workflowDoc";
import { useClipboard } from "./useClipboard";

const task = (id: string, depends_on: string[] = []): TaskDoc => ({ id, piece: { repository: "demo", version: "1.0.0", name: "AddPiece" }, depends_on, inputs: {} });
const start: WorkflowDoc = { ...emptyWorkflow(), id: "wf", name: "wf", tasks: [task("a"), task("b", ["a"])], ui: { nodes: { a: { x: 0, y: 0 }, b: { x: 200, y: 0 } } } };

/** The clipboard over a real document and selection, as the editor holds them. */
function renderClipboard(readOnly = false) {
  const notify = vi.fn();
  const hook = renderHook(() => {
    const [doc, setDoc] = useState(start);
    const [selected, setSelected] = useState<string[]>(["a", "b"]);
    const edit = (next: WorkflowDoc | ((d: WorkflowDoc) => WorkflowDoc)) => setDoc((d) => (typeof next === "function" ? next(d) : next));
    return { doc, selected, ...useClipboard({ doc, selected, edit, setSelected, readOnly, notify }) };
  });
  return { hook, notify };
}

describe("useClipboard", () => {
  it("pastes copies under fresh ids, linked among themselves, selected, each paste 40 px further", () => {
    const { hook, notify } = renderClipboard();
    act(() => hook.result.current.copy());
    expect(notify).toHaveBeenCalledWith("Copied 2 task(s).", "info");
    act(() => hook.result.current.paste());
    expect(hook.result.current.doc.tasks.map((t) => t.id)).toEqual(["a", "b", "a_2", "b_2"]);
    expect(hook.result.current.doc.tasks[3]!.depends_on).toEqual(["a_2"]);
    expect(hook.result.current.selected).toEqual(["a_2", "b_2"]);
    expect(hook.result.current.doc.ui?.nodes?.a_2).toEqual({ x: 40, y: 40 });

    act(() => hook.result.current.paste());
    expect(hook.result.current.doc.tasks.map((t) => t.id)).toEqual(["a", "b", "a_2", "b_2", "a_3", "b_3"]);
    expect(hook.result.current.doc.ui?.nodes?.a_3).toEqual({ x: 80, y: 80 });
    expect(hook.result.current.doc.ui?.nodes?.b_3).toEqual({ x: 280, y: 80 });
  });

  it("pastes nothing before a copy, and nothing into a read-only workflow", () => {
    const { hook } = renderClipboard();
    act(() => hook.result.current.paste());
    expect(hook.result.current.doc).toBe(start);

    const readOnly = renderClipboard(true).hook;
    act(() => readOnly.result.current.copy());
    act(() => readOnly.result.current.paste());
    expect(readOnly.result.current.doc.tasks).toHaveLength(2);
  });
});
