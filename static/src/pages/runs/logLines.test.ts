import { describe, expect, it } from "vitest";
import { lineText, markerOf, segmentLog } from "./logLines";

describe("markerOf", () => {
  it("recognises the piece output delimiters", () => {
    expect(markerOf("──── piece AddPiece output start ────")).toEqual({ piece: "AddPiece", edge: "start" });
    expect(markerOf("[2026-11-28] INFO - ──── piece AddPiece output end ────")).toEqual({ piece: "AddPiece", edge: "end" });
    expect(markerOf("the piece output start is near")).toBeNull();
  });
});

describe("lineText", () => {
  it("formats structured records", () => {
    expect(lineText("plain")).toBe("plain");
    expect(lineText({ event: "hello", timestamp: "2026-11-28T10:00:00Z", level: "info" })).toBe("[2026-11-28T10:00:00Z INFO] hello");
    expect(lineText({ event: "bare" })).toBe("bare");
  });
});

describe("segmentLog", () => {
  it("puts the piece's own output in its own segment", () => {
    const segments = segmentLog([
      "starting",
      "──── piece AddPiece output start ────",
      "Adding 7 and 10",
      "done adding",
      "──── piece AddPiece output end ────",
      "task finished",
    ]);
    expect(segments).toEqual([
      { kind: "airflow", lines: ["starting"] },
      { kind: "piece", piece: "AddPiece", lines: ["Adding 7 and 10", "done adding"], open: false },
      { kind: "airflow", lines: ["task finished"] },
    ]);
  });

  it("keeps a piece segment open while its end has not arrived", () => {
    const segments = segmentLog(["──── piece X output start ────", "working"]);
    expect(segments).toEqual([{ kind: "piece", piece: "X", lines: ["working"], open: true }]);
  });

  it("handles retries with several piece blocks, and no markers at all", () => {
    const twice = segmentLog(["a", "── piece X output start ──", "1", "── piece X output end ──", "── piece X output start ──", "2", "── piece X output end ──"]);
    expect(twice.map((s) => s.kind)).toEqual(["airflow", "piece", "piece"]);
    expect(segmentLog(["only airflow"])).toEqual([{ kind: "airflow", lines: ["only airflow"] }]);
    expect(segmentLog([])).toEqual([]);
  });
});
