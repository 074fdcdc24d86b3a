import { describe, expect, it } from "vitest";
import { formatLoc, issuesAt, issuesUnder, locateIssues, parsePath, parsePointer } from "./validationPaths";
import { emptyWorkflow } from "./workflowDoc";

describe("paths", () => {
  it("parses dotted paths and pointers", () => {
    expect(parsePath("tasks[1].inputs.headers[0].value")).toEqual(["tasks", 1, "inputs", "headers", 0, "value"]);
    expect(parsePath("schedule")).toEqual(["schedule"]);
    expect(parsePointer("/tasks/1/inputs/a~1b")).toEqual(["tasks", 1, "inputs", "a/b"]);
    expect(formatLoc(["headers", 0, "value"])).toBe("headers[0].value");
  });

  it("splits issues by task and workflow", () => {
    const doc = {
      ...emptyWorkflow(),
      tasks: [
        { id: "a", piece: { repository: "", version: "", name: "" } },
        { id: "b", piece: { repository: "", version: "", name: "" } },
      ],
    };
    const located = locateIssues(
      [
        { path: "tasks[1].inputs.url", message: "bad url" },
        { path: "tasks[0].piece", pointer: "/tasks/0/piece", message: "unknown" },
        { path: "schedule", message: "bad cron" },
        { path: "tasks[7].id", message: "gone" },
      ],
      doc,
    );
    expect(located.byTask.get("b")).toEqual([{ path: "tasks[1].inputs.url", message: "bad url", loc: ["inputs", "url"] }]);
    expect(located.byTask.get("a")?.[0]?.loc).toEqual(["piece"]);
    expect(located.workflow.map((i) => i.loc)).toEqual([["schedule"], ["tasks", 7, "id"]]);
    const b = located.byTask.get("b");
    expect(issuesAt(b, ["inputs", "url"])).toHaveLength(1);
    expect(issuesAt(b, ["inputs"])).toHaveLength(0);
    expect(issuesUnder(b, ["inputs"])).toHaveLength(1);
  });
});
