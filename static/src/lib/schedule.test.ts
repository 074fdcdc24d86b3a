import { describe, expect, it } from "vitest";
import { describeSchedule, fromLocalInput, isValidTimeZone, toLocalInput } from "./schedule";

describe("describeSchedule", () => {
  it("describes presets, aliases and cron", () => {
    expect(describeSchedule(null)).toEqual({ ok: true, text: "Manual runs only" });
    expect(describeSchedule("@once").ok).toBe(true);
    expect(describeSchedule("@daily", "UTC")).toEqual({ ok: true, text: "At 00:00 (UTC)" });
    expect(describeSchedule("0 5 * * MON-FRI", "Europe/Paris")).toEqual({ ok: true, text: "At 05:00, Monday through Friday (Europe/Paris)" });
  });

  it("explains invalid schedules", () => {
    expect(describeSchedule("0 5 * * * *")).toMatchObject({ ok: false, error: expect.stringContaining("has 6") as string });
    expect(describeSchedule("@sometimes").ok).toBe(false);
    expect(describeSchedule("61 * * * *").ok).toBe(false);
  });
});

describe("dates in a timezone", () => {
  it("round-trips through a datetime-local value", () => {
    expect(fromLocalInput("2026-11-01T00:00", "UTC")).toBe("2026-11-01T00:00:00Z");
    expect(fromLocalInput("2026-11-01T00:00", "Europe/Paris")).toBe("2026-11-01T00:00:00+01:00");
    expect(fromLocalInput("2026-07-01T09:30", "Europe/Paris")).toBe("2026-07-01T09:30:00+02:00");
    expect(fromLocalInput("2026-07-01T09:30", "America/New_York")).toBe("2026-07-01T09:30:00-04:00");
    expect(toLocalInput("2026-11-01T00:00:00+01:00", "Europe/Paris")).toBe("2026-11-01T00:00");
    expect(toLocalInput("2026-11-01T00:00:00Z", "Europe/Paris")).toBe("2026-11-01T01:00");
    expect(toLocalInput(null, "UTC")).toBe("");
    expect(fromLocalInput("", "UTC")).toBeNull();
  });

  it("checks timezones", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Base")).toBe(false);
  });
});
