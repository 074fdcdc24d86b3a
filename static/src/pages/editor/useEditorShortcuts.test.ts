import { fireEvent, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi, type Mock } from "vitest";
import { shortcutAction, useEditorShortcuts, type ShortcutAction } from "./useEditorShortcuts";

const ACTIONS: ShortcutAction[] = ["undo", "redo", "copy", "paste", "selectAll", "save", "delete", "help", "fitView", "layout", "clearSelection"];

function renderShortcuts() {
  const actions = Object.fromEntries(ACTIONS.map((a) => [a, vi.fn<() => void>()])) as Record<ShortcutAction, Mock<() => void>>;
  renderHook(() => useEditorShortcuts(actions));
  return actions;
}

function called(actions: Record<ShortcutAction, Mock<() => void>>): ShortcutAction[] {
  return ACTIONS.filter((a) => actions[a].mock.calls.length > 0);
}

describe("useEditorShortcuts", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("maps the keys the Shortcuts dialog lists to their commands", () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) => shortcutAction({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, target: document.body, ...mods });
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { metaKey: true })).toBe("redo");
    expect(key("c", { metaKey: true })).toBe("copy");
    expect(key("v", { ctrlKey: true })).toBe("paste");
    expect(key("a", { ctrlKey: true })).toBe("selectAll");
    expect(key("s", { ctrlKey: true })).toBe("save");
    expect(key("Delete")).toBe("delete");
    expect(key("Backspace")).toBe("delete");
    expect(key("?", { shiftKey: true })).toBe("help");
    expect(key("F", { shiftKey: true })).toBe("fitView");
    expect(key("L", { shiftKey: true })).toBe("layout");
    expect(key("Escape")).toBe("clearSelection");
    expect(key("f")).toBeNull();
    expect(key("c")).toBeNull();
  });

  it("runs the command and keeps the browser from acting on the key (Ctrl+S does not save the page)", () => {
    const actions = renderShortcuts();
    const event = new KeyboardEvent("keydown", { key: "s", ctrlKey: true, bubbles: true, cancelable: true });
    window.dispatchEvent(event);
    expect(called(actions)).toEqual(["save"]);
    expect(event.defaultPrevented).toBe(true);

    const other = new KeyboardEvent("keydown", { key: "x", bubbles: true, cancelable: true });
    window.dispatchEvent(other);
    expect(other.defaultPrevented).toBe(false);
  });

  it("ignores keys typed into a field or inside a dialog: Backspace in a form does not delete the task", () => {
    const actions = renderShortcuts();
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    const dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    const button = document.createElement("button");
    dialog.appendChild(button);
    document.body.append(input, textarea, dialog);

    fireEvent.keyDown(input, { key: "Backspace" });
    fireEvent.keyDown(textarea, { key: "z", ctrlKey: true });
    fireEvent.keyDown(button, { key: "Delete" });
    expect(called(actions)).toEqual([]);

    fireEvent.keyDown(document.body, { key: "Backspace" });
    expect(called(actions)).toEqual(["delete"]);
  });
});
