import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { autosaveKey, readAutosave, useAutosave, type AutosaveOptions } from "./useAutosave";

function doc(name: string): WorkflowDoc {
  return { ...emptyWorkflow(), id: "wf", name };
}

const saved = doc("saved");

function options(over: Partial<AutosaveOptions> = {}): AutosaveOptions {
  return { workflowId: "wf", doc: saved, dirty: false, savedDoc: saved, baseRevisionNumber: 3, enabled: true, delayMs: 100, storage: localStorage, ...over };
}

describe("useAutosave", () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps unsaved changes per workflow id once the edits pause, and removes them when saved", () => {
    const { rerender } = renderHook((props: AutosaveOptions) => useAutosave(props), { initialProps: options() });
    rerender(options({ doc: doc("edited"), dirty: true }));
    expect(localStorage.getItem(autosaveKey("wf"))).toBeNull();
    act(() => {
      vi.advanceTimersByTime(100);
    });
    const kept = readAutosave(localStorage, autosaveKey("wf"));
    expect(kept?.doc.name).toBe("edited");
    expect(kept?.baseRevisionNumber).toBe(3);
    expect(localStorage.getItem(autosaveKey("other"))).toBeNull();

    // Saved: the editor is no longer dirty, the copy goes.
    rerender(options({ doc: doc("edited"), savedDoc: doc("edited"), dirty: false, baseRevisionNumber: 4 }));
    expect(localStorage.getItem(autosaveKey("wf"))).toBeNull();
  });

  it("writes the pending copy at once when the editor goes away", () => {
    const { rerender, unmount } = renderHook((props: AutosaveOptions) => useAutosave(props), { initialProps: options() });
    rerender(options({ doc: doc("last edit"), dirty: true }));
    unmount();
    expect(readAutosave(localStorage, autosaveKey("wf"))?.doc.name).toBe("last edit");
  });

  it("offers a kept copy on open, does not overwrite it meanwhile, and restores it", () => {
    localStorage.setItem(autosaveKey("wf"), JSON.stringify({ doc: doc("kept"), baseRevisionNumber: 2, savedAt: "2026-01-01T00:00:00Z" }));
    const { result, rerender } = renderHook((props: AutosaveOptions) => useAutosave(props), { initialProps: options() });
    expect(result.current.offer?.doc.name).toBe("kept");
    expect(result.current.offer?.baseRevisionNumber).toBe(2);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(readAutosave(localStorage, autosaveKey("wf"))?.doc.name).toBe("kept"); // not cleared by the clean editor

    let restored: WorkflowDoc | null = null;
    act(() => {
      restored = result.current.accept();
    });
    expect(restored).toMatchObject({ name: "kept" });
    expect(result.current.offer).toBeNull();
    // The editor applies it (dirty again); the copy follows the editor from then on.
    rerender(options({ doc: doc("kept"), dirty: true }));
    act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(readAutosave(localStorage, autosaveKey("wf"))?.doc.name).toBe("kept");
  });

  it("discards a kept copy on request, and does not offer one equal to the loaded document", () => {
    localStorage.setItem(autosaveKey("wf"), JSON.stringify({ doc: doc("kept"), baseRevisionNumber: 2, savedAt: "" }));
    const { result } = renderHook(() => useAutosave(options()));
    act(() => result.current.discard());
    expect(result.current.offer).toBeNull();
    expect(localStorage.getItem(autosaveKey("wf"))).toBeNull();

    localStorage.setItem(autosaveKey("wf"), JSON.stringify({ doc: saved, baseRevisionNumber: 3, savedAt: "" }));
    const same = renderHook(() => useAutosave(options()));
    expect(same.result.current.offer).toBeNull();
  });

  it("moves a new workflow's copy from 'new' to its id once created, and ignores broken entries", () => {
    const { rerender } = renderHook((props: AutosaveOptions) => useAutosave(props), {
      initialProps: options({ workflowId: null, baseRevisionNumber: null }),
    });
    rerender(options({ workflowId: null, baseRevisionNumber: null, doc: doc("fresh"), dirty: true }));
    act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(readAutosave(localStorage, autosaveKey(null))?.doc.name).toBe("fresh");
    rerender(options({ workflowId: "wf", doc: doc("fresh"), savedDoc: doc("fresh"), dirty: false, baseRevisionNumber: 1 }));
    expect(localStorage.getItem(autosaveKey(null))).toBeNull();
    expect(localStorage.getItem(autosaveKey("wf"))).toBeNull();

    localStorage.setItem(autosaveKey("wf"), "{not json");
    expect(readAutosave(localStorage, autosaveKey("wf"))).toBeNull();
    localStorage.setItem(autosaveKey("wf"), JSON.stringify({ doc: { name: "no tasks" } }));
    expect(renderHook(() => useAutosave(options())).result.current.offer).toBeNull();
  });

  it("does nothing for a read-only viewer", () => {
    localStorage.setItem(autosaveKey("wf"), JSON.stringify({ doc: doc("kept"), baseRevisionNumber: 2, savedAt: "" }));
    const { result, rerender } = renderHook((props: AutosaveOptions) => useAutosave(props), { initialProps: options({ enabled: false }) });
    expect(result.current.offer).toBeNull();
    rerender(options({ enabled: false, doc: doc("viewer"), dirty: true }));
    act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(readAutosave(localStorage, autosaveKey("wf"))?.doc.name).toBe("kept");
  });
});
