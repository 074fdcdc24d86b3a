/**
 * The editor's keyboard shortcuts (listed in the Shortcuts dialog). Keys typed into a field, or inside a
 * dialog, are left alone: Backspace in a task's form must not delete the task.
 */
import { useEffect, useRef } from "react";

export type ShortcutAction = "undo" | "redo" | "copy" | "paste" | "selectAll" | "save" | "delete" | "help" | "fitView" | "layout" | "clearSelection";

/** Whether a key goes to a field or a dialog rather than to the canvas. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("[role=dialog],[role=alertdialog]") !== null;
}

/** The editor command a key press asks for, or null. */
export function shortcutAction(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "target">): ShortcutAction | null {
  if (isTyping(event.target)) return null;
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === "z" && !event.shiftKey) return "undo";
  if (mod && ((key === "z" && event.shiftKey) || key === "y")) return "redo";
  if (mod && key === "c") return "copy";
  if (mod && key === "v") return "paste";
  if (mod && key === "a") return "selectAll";
  if (mod && key === "s") return "save";
  if (!mod && (event.key === "Delete" || event.key === "Backspace")) return "delete";
  if (!mod && event.key === "?") return "help";
  if (!mod && event.shiftKey && key === "f") return "fitView";
  if (!mod && event.shiftKey && key === "l") return "layout";
  if (event.key === "Escape") return "clearSelection";
  return null;
}

/** Runs `actions[...]` for the editor's shortcuts on window key presses (the browser's own action is prevented). */
export function useEditorShortcuts(actions: Record<ShortcutAction, () => void>) {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutAction(event);
      if (!action) return;
      latest.current[action]();
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
