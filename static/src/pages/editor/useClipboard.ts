/**
 * Copy and paste of tasks inside the editor (Ctrl+C / Ctrl+V): the copy keeps the tasks and the
 * connections between them; each paste gets fresh ids (lib/graph.ts) and lands 40 px further than the last.
 */
import { useCallback, useRef } from "react";
import { copyTasks, pasteTasks, type Clipboard } from "../../lib/graph";
import type { WorkflowDoc } from "../../lib/workflowDoc";
import type { EditorData } from "./EditorContext";

interface ClipboardOptions {
  doc: WorkflowDoc;
  selected: readonly string[];
  edit: EditorData["edit"];
  setSelected: (ids: string[]) => void;
  readOnly: boolean;
  notify: EditorData["notify"];
}

/** The clipboard moved on by `by` px, so that pasting again does not cover the last paste. */
export function offsetClipboard(clip: Clipboard, by = 40): Clipboard {
  return { ...clip, positions: Object.fromEntries(Object.entries(clip.positions).map(([k, p]) => [k, { x: p.x + by, y: p.y + by }])) };
}

export function useClipboard({ doc, selected, edit, setSelected, readOnly, notify }: ClipboardOptions) {
  const clipboard = useRef<Clipboard | null>(null);

  const copy = useCallback(() => {
    const clip = copyTasks(doc, selected);
    if (clip) {
      clipboard.current = clip;
      notify(`Copied ${clip.tasks.length} task(s).`, "info");
    }
  }, [doc, notify, selected]);

  const paste = useCallback(() => {
    if (readOnly || !clipboard.current) return;
    const clip = clipboard.current;
    let ids: string[] = [];
    edit((d) => {
      const out = pasteTasks(d, clip);
      ids = out.ids;
      return out.doc;
    });
    clipboard.current = offsetClipboard(clip);
    setSelected(ids);
  }, [edit, readOnly, setSelected]);

  return { copy, paste };
}
