import { describe, expect, it } from "vitest";
import { formatDateTime, formatRelative, pageCountNote } from "./format";

describe("formatRelative", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  it.each([
    ["2026-11-28T11:59:30Z", "just now"],
    ["2026-11-28T11:55:00Z", "5 minutes ago"],
    ["2026-11-28T09:00:00Z", "3 hours ago"],
    ["2026-11-27T12:00:00Z", "yesterday"],
    ["2026-11-30T12:00:00Z", "in 2 days"],
  ])("%s -> %s", (iso, expected) => {
    expect(formatRelative(iso, now, "en")).toBe(expected);
  });

  it("returns unparsable input unchanged", () => {
    expect(formatRelative("soon", now, "en")).toBe("soon");
    expect(formatDateTime("soon", "en")).toBe("soon");
  });
});

describe("pageCountNote", () => {
  it("says when the list is cut", () => {
    expect(pageCountNote(undefined)).toBeUndefined();
    expect(pageCountNote({ items: [1, 2], total: 2 })).toBe("2 total");
    expect(pageCountNote({ items: [1, 2], total: 80 })).toBe("2 of 80");
  });
});
