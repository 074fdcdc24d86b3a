import { describe, expect, it } from "vitest";
import { pastStartNotice, workflowIdFromName } from "./settingsHints";

describe("workflowIdFromName", () => {
  it("makes a valid workflow id of a name", () => {
    expect(workflowIdFromName("Daily sales")).toBe("daily_sales");
    expect(workflowIdFromName("  Rapport  été (EU) ")).toBe("rapport_ete_eu");
    expect(workflowIdFromName("2026 report")).toBe("report");
    expect(workflowIdFromName("!!!")).toBe("");
    expect(workflowIdFromName("x".repeat(300))).toHaveLength(200);
  });
});

describe("pastStartNotice", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  const past = "2026-11-01T00:00:00Z";

  it("says a daily schedule with a past start date runs right after saving, once, without catch-up", () => {
    expect(pastStartNotice({ schedule: "@daily", start_date: past, catchup: false }, now)).toMatch(
      /starts one run right away for the latest scheduled time .*Earlier times are skipped, as catch-up is off\./,
    );
  });

  it("says every missed time runs with catch-up on", () => {
    expect(pastStartNotice({ schedule: "0 5 * * *", start_date: past, catchup: true }, now)).toMatch(/a run for every scheduled time since the start date/);
  });

  it("says nothing for a future start date, no schedule or a data-aware schedule", () => {
    expect(pastStartNotice({ schedule: "@daily", start_date: "2027-01-01T00:00:00Z" }, now)).toBeNull();
    expect(pastStartNotice({ schedule: null, start_date: past }, now)).toBeNull();
    expect(pastStartNotice({ schedule: null, schedule_on: { workflows: ["a"], assets: [], match: "all" }, start_date: past }, now)).toBeNull();
  });

  it("says a one-off run with a past date and a continuous schedule start right away", () => {
    expect(pastStartNotice({ schedule: "@once", start_date: past }, now)).toMatch(/runs the workflow right away/);
    expect(pastStartNotice({ schedule: "@continuous", start_date: past }, now)).toMatch(/first run starts right away/);
  });
});
