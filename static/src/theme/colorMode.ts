import { useEffect, useSyncExternalStore } from "react";

/**
 * Airflow 3's UI keeps the user's choice with next-themes under this localStorage key, as
 * "light", "dark" or "system". We share its origin, so we read the same entry and never write it.
 */
export const AIRFLOW_THEME_KEY = "theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

export type ColorMode = "light" | "dark";

export function resolveColorMode(stored: string | null, systemPrefersDark: boolean): ColorMode {
  if (stored === "light" || stored === "dark") return stored;
  return systemPrefersDark ? "dark" : "light";
}

export function detectColorMode(win: Window = window): ColorMode {
  let stored: string | null = null;
  try {
    stored = win.localStorage.getItem(AIRFLOW_THEME_KEY);
  } catch {
    // Storage can be blocked (privacy settings, sandboxed frames): follow the system instead.
  }
  const prefersDark = typeof win.matchMedia === "function" && win.matchMedia(DARK_QUERY).matches;
  return resolveColorMode(stored, prefersDark);
}

/** Calls `onChange` when Airflow's stored choice (another document) or the system setting changes. */
export function subscribeToColorMode(onChange: () => void, win: Window = window): () => void {
  const onStorage = (event: StorageEvent) => {
    // A null key means the whole storage was cleared.
    if (event.key === AIRFLOW_THEME_KEY || event.key === null) onChange();
  };
  win.addEventListener("storage", onStorage);
  const media = typeof win.matchMedia === "function" ? win.matchMedia(DARK_QUERY) : null;
  media?.addEventListener("change", onChange);
  return () => {
    win.removeEventListener("storage", onStorage);
    media?.removeEventListener("change", onChange);
  };
}

/** Chakra's `_dark` styles key off a "dark" class on an ancestor, like next-themes in Airflow. */
export function applyColorMode(mode: ColorMode, root: HTMLElement = document.documentElement): void {
  root.classList.toggle("dark", mode === "dark");
  root.classList.toggle("light", mode === "light");
  root.style.colorScheme = mode;
}

export function useAirflowColorMode(): ColorMode {
  const mode = useSyncExternalStore(subscribeToColorMode, () => detectColorMode());
  useEffect(() => applyColorMode(mode), [mode]);
  return mode;
}
