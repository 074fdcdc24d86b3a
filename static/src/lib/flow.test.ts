import { describe, expect, it } from "vitest";
import { branchLines, forEachText, triggerRuleText } from "./flow";

const piece = { repository: "r", version: "1", name: "AddPiece" };

describe("flow summaries", () => {
  it("describes a for-each task", () => {
    const task = {
      id: "add_ten",
      piece,
      for_each: { items: { $upstream: { task: "numbers", output: "values" } }, input: "a", max_parallel: 2 },
    };
    expect(forEachText(task)).toBe("For each item of numbers.values → input a, at most 2 at once");
    expect(forEachText({ id: "plain", piece })).toBeNull();
  });

  it("describes branch rules in order, then the else", () => {
    const task = {
      id: "route",
      piece,
      branch: {
        when: [
          { value: { $upstream: { task: "route", output: "total" } }, op: "gt", operand: 3, then: ["big"] },
          { value: { $param: "region" }, op: "truthy", then: ["a", "b"] },
        ],
        else: [],
      },
    };
    expect(branchLines(task)).toEqual([
      "If route.total > 3: run big",
      "Else if param region is true / non-empty: run a, b",
      "Otherwise: run nothing",
    ]);
    expect(branchLines({ id: "plain", piece })).toEqual([]);
  });

  it("shows a trigger rule only when it is not the default", () => {
    expect(triggerRuleText({ id: "j", piece, trigger_rule: "none_failed_min_one_success" })).toBe(
      "Runs when: none failed min one success",
    );
    expect(triggerRuleText({ id: "j", piece, trigger_rule: "all_success" })).toBeNull();
    expect(triggerRuleText({ id: "j", piece })).toBeNull();
  });
});
