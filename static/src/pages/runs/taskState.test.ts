import { describe, expect, it } from "vitest";
import { stateStyle } from "./taskState";

describe("stateStyle", () => {
  it.each([
    ["success", "green", "Success"],
    ["failed", "red", "Failed"],
    ["running", "cyan", "Running"],
    ["up_for_retry", "yellow", "Up for retry"],
    ["upstream_failed", "orange", "Upstream failed"],
    ["skipped", "pink", "Skipped"],
    ["queued", "gray", "Queued"],
  ])("%s is %s", (state, palette, label) => {
    expect(stateStyle(state)).toEqual({ palette, label });
  });

  it("treats a missing state as 'No status'", () => {
    expect(stateStyle(null)).toEqual({ palette: "gray", label: "No status" });
    expect(stateStyle(undefined).label).toBe("No status");
    expect(stateStyle("none").label).toBe("No status");
  });

  it("words an unknown state readably", () => {
    expect(stateStyle("some_new_state")).toEqual({ palette: "gray", label: "Some new state" });
  });
});
