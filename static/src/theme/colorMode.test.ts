import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AIRFLOW_THEME_KEY, applyColorMode, detectColorMode, resolveColorMode, useAirflowColorMode } from "./colorMode";

function stubSystemDark(dark: boolean) {
  const listeners = new Set<() => void>();
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: dark && query === "(prefers-color-scheme: dark)",
    media: query,
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  }));
  return {
    change(next: boolean) {
      dark = next;
      listeners.forEach((listener) => listener());
    },
  };
}

/** What the browser does in this frame when Airflow's page (another document) switches theme. */
function airflowSwitchesTo(value: string) {
  localStorage.setItem(AIRFLOW_THEME_KEY, value);
  window.dispatchEvent(new StorageEvent("storage", { key: AIRFLOW_THEME_KEY, newValue: value }));
}

afterEach(() => {
  localStorage.clear();
  document.documentElement.className = "";
});

describe("resolveColorMode", () => {
  it.each([
    ["dark", false, "dark"],
    ["light", true, "light"],
    ["system", true, "dark"],
    ["system", false, "light"],
    [null, true, "dark"],
    [null, false, "light"],
    ["something-else", false, "light"],
  ] as const)("stored %s, system dark %s -> %s", (stored, prefersDark, expected) => {
    expect(resolveColorMode(stored, prefersDark)).toBe(expected);
  });
});

describe("detectColorMode", () => {
  it("reads Airflow's stored theme first", () => {
    stubSystemDark(true);
    localStorage.setItem(AIRFLOW_THEME_KEY, "light");
    expect(detectColorMode()).toBe("light");
  });

  it("falls back to prefers-color-scheme", () => {
    stubSystemDark(true);
    expect(detectColorMode()).toBe("dark");
  });

  it("survives blocked storage", () => {
    stubSystemDark(false);
    const win = {
      get localStorage(): Storage {
        throw new DOMException("denied", "SecurityError");
      },
      matchMedia: (query: string) => window.matchMedia(query),
    } as unknown as Window;
    expect(detectColorMode(win)).toBe("light");
  });
});

describe("applyColorMode", () => {
  it("sets the class Chakra's dark condition looks for", () => {
    applyColorMode("dark");
    expect(document.documentElement.classList.contains("dark")).toBe(true);
    expect(document.documentElement.style.colorScheme).toBe("dark");
    applyColorMode("light");
    expect(document.documentElement.classList.contains("dark")).toBe(false);
    expect(document.documentElement.classList.contains("light")).toBe(true);
  });
});

describe("useAirflowColorMode", () => {
  it("follows Airflow's theme switch and the system setting", () => {
    const system = stubSystemDark(false);
    const { result } = renderHook(() => useAirflowColorMode());
    expect(result.current).toBe("light");

    act(() => airflowSwitchesTo("dark"));
    expect(result.current).toBe("dark");
    expect(document.documentElement.classList.contains("dark")).toBe(true);

    act(() => airflowSwitchesTo("system"));
    expect(result.current).toBe("light");

    act(() => system.change(true));
    expect(result.current).toBe("dark");
  });
});
