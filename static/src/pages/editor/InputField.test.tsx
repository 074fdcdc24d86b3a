import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ValidationIssue } from "../../lib/validationPaths";
import type { JsonSchema } from "../../lib/typeCompat";
import { emptyWorkflow } from "../../lib/workflowDoc";
import { editorDoc, renderInEditor } from "../../test/editorHarness";
import { InputField } from "./InputField";

const PIECE = { repository: "demo", version: "1.0.0", name: "Demo" };

const SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    title: { type: "string", description: "Shown as the `title` of the report" },
    when: { type: "string", format: "date-time" },
    count: { type: "integer" },
    ratio: { type: "number" },
    mode: { enum: ["fast", "slow"] },
  },
  required: ["title"],
};

function renderField(name: string, issues: ValidationIssue[] = []) {
  const properties = SCHEMA.properties as Record<string, unknown>;
  renderInEditor(
    (doc) => <InputField task={doc.tasks[0]!} root={SCHEMA} schema={properties[name]} loc={[name]} label={name} required={name === "title"} />,
    { doc: { ...emptyWorkflow(), id: "demo", name: "Demo", tasks: [{ id: "t1", piece: PIECE, inputs: {} }] }, issues },
  );
}

const user = () => userEvent.setup({ delay: null });
const inputs = () => editorDoc.latest?.tasks[0]?.inputs ?? {};

// Typing character by character is slow on a loaded machine; this is a limit on the test's run, not an assertion.
describe("InputField", { timeout: 30_000 }, () => {
  it("keeps typed text as typed and stores it in the task's inputs", async () => {
    renderField("title");
    await user().type(screen.getByLabelText("title", { selector: "input" }), "Sales report");
    expect(screen.getByLabelText("title", { selector: "input" })).toHaveValue("Sales report");
    expect(inputs()).toEqual({ title: "Sales report" });
  });

  it("does not garble a typed date-time", async () => {
    renderField("when");
    const field = screen.getByLabelText("when", { selector: "input" });
    await user().type(field, "2026-01-02T03:04:05+01:00");
    expect(field).toHaveValue("2026-01-02T03:04:05+01:00");
    expect(inputs()).toEqual({ when: "2026-01-02T03:04:05+01:00" });
  });

  it("stores integers and numbers as numbers", async () => {
    renderField("count");
    await user().type(screen.getByLabelText("count", { selector: "input" }), "42");
    expect(inputs()).toEqual({ count: 42 });
  });

  it("stores a decimal number as a number", async () => {
    renderField("ratio");
    await user().type(screen.getByLabelText("ratio", { selector: "input" }), "0.25");
    expect(inputs()).toEqual({ ratio: 0.25 });
  });

  // A boolean's default shown as a ticked box is not tested here: Chakra's checkbox machine syncs its hidden input with
  // a setter jsdom refuses ("set checked called on an object that is not a valid instance of HTMLInputElement"), an
  // unhandled error that fails the run. booleanDefault.test.ts covers the label ("Yes (default)").

  it("offers an enum's values in a list", async () => {
    renderField("mode");
    await user().selectOptions(screen.getByLabelText("mode", { selector: "select" }), "slow");
    expect(inputs()).toEqual({ mode: "slow" });
  });

  it("renders Markdown in the help text instead of raw backticks", () => {
    renderField("title");
    expect(screen.getByText("title", { selector: "code" })).toBeInTheDocument();
    expect(screen.queryByText(/`title`/)).not.toBeInTheDocument();
  });

  it("shows the server's message on the field it concerns, once", () => {
    renderField("title", [{ path: "tasks[0].inputs.title", pointer: "/tasks/0/inputs/title", message: "Input title of task t1 needs a value" }]);
    expect(screen.getAllByTestId("field-error")).toHaveLength(1);
    expect(screen.getByTestId("field-error")).toHaveTextContent("Input title of task t1 needs a value");
  });
});
