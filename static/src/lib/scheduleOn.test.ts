import { describe, expect, it } from "vitest";
import { declaredAssets, describeScheduleOn } from "./scheduleOn";

describe("describeScheduleOn", () => {
  it("says what triggers what", () => {
    expect(describeScheduleOn({ workflows: ["fetch_orders"] })).toBe("Runs when fetch_orders has completed.");
    expect(describeScheduleOn({ assets: ["s3://b/sales.csv"] })).toBe("Runs when asset s3://b/sales.csv has been updated.");
    expect(describeScheduleOn({ workflows: ["a", "b"], assets: ["x"], match: "all" })).toBe(
      "Runs once a and b have completed and asset x has been updated since its last run.",
    );
    expect(describeScheduleOn({ workflows: ["a"], assets: ["x", "y"], match: "any" })).toBe(
      "Runs when a has completed or assets x or y has been updated.",
    );
    expect(describeScheduleOn({})).toBe("Pick at least one workflow or asset.");
  });

  it("collects declared assets once, sorted", () => {
    expect(declaredAssets([{ outlets: ["b", "a"] }, {}, { outlets: ["a"] }])).toEqual(["a", "b"]);
  });
});
