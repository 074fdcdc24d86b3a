import { describe, expect, it } from "vitest";
import { instancesOf, instancesSummary, shownInstance, type MapInstance } from "./mapInstances";

const instance = (map_index: number, state: string | null): MapInstance => ({ map_index, state, try_number: 1, start_date: null, end_date: null, duration_s: null });

describe("for-each instances on the run page", () => {
  it("lists them in item order and sums their states up", () => {
    const task = { map_instances: [instance(2, "running"), instance(0, "success"), instance(1, "success")] };
    expect(instancesOf(task).map((i) => i.map_index)).toEqual([0, 1, 2]);
    expect(instancesSummary(instancesOf(task))).toBe("3 instances: 2 success, 1 running");
    expect(instancesSummary([instance(0, null)])).toBe("1 instance: 1 no status");
    expect(instancesOf({})).toEqual([]);
    expect(instancesSummary([])).toBe("");
  });

  it("shows the chosen instance, else the first failed, else the first", () => {
    const all = [instance(0, "success"), instance(1, "failed"), instance(2, "success")];
    expect(shownInstance(all, 2)?.map_index).toBe(2);
    expect(shownInstance(all, null)?.map_index).toBe(1);
    expect(shownInstance(all, 9)?.map_index).toBe(1);
    expect(shownInstance([instance(0, "success")], null)?.map_index).toBe(0);
    expect(shownInstance([], 0)).toBeNull();
  });
});
