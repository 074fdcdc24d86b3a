import { describe, expect, it } from "vitest";
import { durationBetween, formatDuration, pieceName, runTitle } from "./format";

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

describe("runTitle", () => {
  const when = (iso: string) => `<${iso.slice(0, 10)}>`;
  const label = (state: string) => state.toUpperCase();
  it("names the workflow, the run's date and its state instead of the run id", () => {
    const run = { run_id: "manual__2026-12-02T16:48:36+00:00", state: "success", start_date: "2026-12-02T16:48:40Z", logical_date: null, queued_at: null };
    expect(runTitle("Sales report", run, when, label)).toBe("Sales report · run of <2026-12-02> · SUCCESS");
  });
  it("falls back to the queue time, then to the id", () => {
    expect(runTitle("W", { run_id: "r1", state: null, start_date: null, queued_at: "2026-01-05T00:00:00Z" }, when, label)).toBe("W · run of <2026-01-05>");
    expect(runTitle("W", { run_id: "r1", state: "queued", start_date: null }, when, label)).toBe("W · run r1 · QUEUED");
  });
});
