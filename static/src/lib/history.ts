/** An undo/redo stack of immutable snapshots. */

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Key of the last change; consecutive changes with the same key merge into one step. */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 200;
const MERGE_WINDOW_MS = 1500;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/**
 * Records `next` as a new step. With a `mergeKey` (e.g. "input:fetch.url"), edits to the same
 * field within a short window form one undo step, so typing a word is undone at once.
 */
export function pushHistory<T>(h: History<T>, next: T, mergeKey: string | null = null, now = Date.now()): History<T> {
  if (next === h.present) return h;
  if (mergeKey !== null && mergeKey === h.lastKey && now - h.lastAt < MERGE_WINDOW_MS) {
    return { ...h, present: next, future: [], lastAt: now };
  }
  const past = [...h.past, h.present];
  if (past.length > HISTORY_LIMIT) past.shift();
  return { past, present: next, future: [], lastKey: mergeKey, lastAt: now };
}

/** Replaces the present without an undo step (e.g. the viewport moving). */
export function replacePresent<T>(h: History<T>, next: T): History<T> {
  return { ...h, present: next };
}

export function undo<T>(h: History<T>): History<T> {
  const previous = h.past[h.past.length - 1];
  if (previous === undefined) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  const [next, ...future] = h.future;
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future, lastKey: null, lastAt: 0 };
}

export const canUndo = (h: History<unknown>) => h.past.length > 0;
export const canRedo = (h: History<unknown>) => h.future.length > 0;
