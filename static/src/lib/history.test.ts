import { describe, expect, it } from "vitest";
import { canRedo, canUndo, createHistory, HISTORY_LIMIT, pushHistory, redo, replacePresent, undo } from "./history";

describe("history", () => {
  it("undoes and redoes", () => {
    let h = createHistory(1);
    h = pushHistory(h, 2);
    h = pushHistory(h, 3);
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(2);
    h = undo(h);
    expect(h.present).toBe(1);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(2);
    expect(canRedo(h)).toBe(true);
    h = pushHistory(h, 9);
    expect(canRedo(h)).toBe(false);
    expect(redo(h)).toBe(h);
  });

  it("merges quick edits of the same field", () => {
    let h = createHistory("");
    h = pushHistory(h, "a", "name", 1000);
    h = pushHistory(h, "ab", "name", 1500);
    h = pushHistory(h, "abc", "name", 2000);
    h = pushHistory(h, "abcd", "other", 2100);
    h = pushHistory(h, "abcde", "other", 9000);
    expect(h.past).toEqual(["", "abc", "abcd"]);
  });

  it("ignores no-op pushes, replaces without a step, and stays bounded", () => {
    let h = createHistory({ n: 0 });
    expect(pushHistory(h, h.present)).toBe(h);
    h = replacePresent(h, { n: 1 });
    expect(h.past).toHaveLength(0);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) h = pushHistory(h, { n: i + 2 });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
  });
});
