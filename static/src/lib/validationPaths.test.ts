import { describe, expect, it } from "vitest";
import { formatLoc, issuesAt, issuesUnder, locateIssues, parsePath, parsePointer, sameLocatedIssues } from "./validationPaths";
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

describe("sameLocatedIssues", () => {
  const doc = { ...emptyWorkflow(), tasks: [{ id: "a" }, { id: "b" }] };
  const errors = [
    { path: "tasks[0].inputs.x", message: "Needs a value" },
    { path: "name", message: "The workflow needs a name" },
  ];

  it("is true for two results of the same answer, false when a problem, its place or its task differs", () => {
    expect(sameLocatedIssues(locateIssues(errors, doc), locateIssues([...errors], doc))).toBe(true);
    expect(sameLocatedIssues(locateIssues(errors, doc), locateIssues([{ ...errors[0]!, message: "Too big" }, errors[1]!], doc))).toBe(false);
    expect(sameLocatedIssues(locateIssues(errors, doc), locateIssues([{ ...errors[0]!, path: "tasks[0].inputs.y" }, errors[1]!], doc))).toBe(false);
    expect(sameLocatedIssues(locateIssues(errors, doc), locateIssues([{ ...errors[0]!, path: "tasks[1].inputs.x" }, errors[1]!], doc))).toBe(false);
    expect(sameLocatedIssues(locateIssues(errors, doc), locateIssues(errors.slice(1), doc))).toBe(false);
  });
});
