/**
 * The editor's local autosave: unsaved changes are copied to localStorage (one entry per workflow
 * id, "new" for a workflow not created yet) so that leaving, a reload or a crash does not lose them.
 * Opening the workflow again offers to restore the copy; saving (or undoing back to the saved
 * document) removes it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { WorkflowDoc } from "../../lib/workflowDoc";

const PREFIX = "domino.editor.autosave.";

export interface AutosaveEntry {
  doc: WorkflowDoc;
  /** The revision the changes were made on (null: a workflow not created yet). */
  baseRevisionNumber: number | null;
  /** ISO time of the copy. */
  savedAt: string;
}

export function autosaveKey(workflowId: string | null): string {
  return PREFIX + (workflowId ?? "new");
}

/** The layout's viewport is not a change worth restoring (the same rule as "Unsaved changes"). */
export function comparableDoc(doc: WorkflowDoc): string {
  const { ui, ...rest } = doc;
  return JSON.stringify({ ...rest, nodes: ui?.nodes ?? {} });
}

function storageOrNull(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings, sandboxed frame)
  }
}

export function readAutosave(storage: Storage | null, key: string): AutosaveEntry | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(key);
    if (!raw) return null;
    const entry = JSON.parse(raw) as Partial<AutosaveEntry>;
    if (!entry || typeof entry !== "object" || !entry.doc || !Array.isArray(entry.doc.tasks)) return null;
    return { doc: entry.doc, baseRevisionNumber: entry.baseRevisionNumber ?? null, savedAt: String(entry.savedAt ?? "") };
  } catch {
    return null;
  }
}

function write(storage: Storage | null, key: string, entry: AutosaveEntry): void {
  try {
    storage?.setItem(key, JSON.stringify(entry));
  } catch {
    /* full or disabled: the leave prompt still protects the changes */
  }
}

function remove(storage: Storage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    /* nothing to remove */
  }
}

export interface AutosaveOptions {
  workflowId: string | null;
  doc: WorkflowDoc;
  dirty: boolean;
  /** The document as loaded or last saved: a copy equal to it is not offered. */
  savedDoc: WorkflowDoc;
  baseRevisionNumber: number | null;
  /** Off for read-only viewers. */
  enabled: boolean;
  delayMs?: number;
  storage?: Storage | null;
}

export interface Autosave {
  /** A copy found on open that differs from the loaded document, until restored or discarded. */
  offer: AutosaveEntry | null;
  /** Stops offering; the caller applies `offer.doc` to the editor. */
  accept: () => WorkflowDoc | null;
  /** Deletes the copy. */
  discard: () => void;
  /** Writes the pending copy now (before leaving). */
  flush: () => void;
}

export function useAutosave({ workflowId, doc, dirty, savedDoc, baseRevisionNumber, enabled, delayMs = 300, storage }: AutosaveOptions): Autosave {
  const store = storage === undefined ? storageOrNull() : storage;
  const key = autosaveKey(workflowId);
  const [offer, setOffer] = useState<AutosaveEntry | null>(() => {
    if (!enabled) return null;
    const found = readAutosave(store, key);
    return found && comparableDoc(found.doc) !== comparableDoc(savedDoc) ? found : null;
  });
  const pending = useRef<{ key: string; entry: AutosaveEntry } | null>(null);

  const flush = useCallback(() => {
    const next = pending.current;
    pending.current = null;
    if (next) write(store, next.key, next.entry);
  }, [store]);

  // A new workflow's copy lives under "new" until it is created; then that copy is done with.
  const previousKey = useRef(key);
  useEffect(() => {
    if (previousKey.current !== key) {
      remove(store, previousKey.current);
      previousKey.current = key;
    }
  }, [key, store]);

  useEffect(() => {
    if (!enabled || offer) return undefined; // never overwrite a copy not yet restored or discarded
    if (!dirty) {
      pending.current = null;
      remove(store, key);
      return undefined;
    }
    pending.current = { key, entry: { doc, baseRevisionNumber, savedAt: new Date().toISOString() } };
    const handle = setTimeout(flush, delayMs);
    return () => clearTimeout(handle);
  }, [baseRevisionNumber, delayMs, dirty, doc, enabled, flush, key, offer, store]);

  // Leaving the page (reload, closing the tab, Airflow's shell removing this frame) or the editor.
  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  const accept = useCallback(() => {
    setOffer(null);
    return offer ? offer.doc : null;
  }, [offer]);

  const discard = useCallback(() => {
    setOffer(null);
    remove(store, key);
  }, [key, store]);

  return { offer, accept, discard, flush };
}
