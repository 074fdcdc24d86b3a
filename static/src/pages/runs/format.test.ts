import { describe, expect, it } from "vitest";
import { durationBetween, formatDuration, pieceName } from "./format";

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [4.21, "4.2 s"],
    [42, "42 s"],
    [185, "3 min 5 s"],
    [3720, "1 h 2 min"],
  ])("%s → %s", (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe("durationBetween", () => {
  it("measures up to now while running", () => {
    expect(durationBetween("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z")).toBe(60);
    expect(durationBetween("2026-01-01T00:00:00Z", null, new Date("2026-01-01T00:00:30Z"))).toBe(30);
    expect(durationBetween(null, null)).toBeNull();
  });
});

describe("pieceName", () => {
  it("names a piece reference", () => {
    expect(pieceName({ repository: "r", version: "1.0", name: "AddPiece" })).toBe("AddPiece (r 1.0)");
    expect(pieceName("AddPiece")).toBe("AddPiece");
    expect(pieceName(null)).toBe("");
  });
});
