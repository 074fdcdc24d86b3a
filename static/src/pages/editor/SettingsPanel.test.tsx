import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { emptyWorkflow } from "../../lib/workflowDoc";
import { editorDoc, renderInEditor } from "../../test/editorHarness";
import { SettingsPanel } from "./SettingsPanel";

function renderPanel() {
  renderInEditor(() => <SettingsPanel isNew={false} />, { doc: { ...emptyWorkflow(), id: "sales", name: "Sales" } }, "/airflow/domino/ui/workflows/sales/edit");
}

const user = () => userEvent.setup({ delay: null });

// Rendering Chakra on a loaded machine is slow; this limits the test's run, it asserts nothing about time.
describe("SettingsPanel", { timeout: 30_000 }, () => {
  it("sets a daily schedule and says it in words", async () => {
    renderPanel();
    await user().selectOptions(screen.getByRole("combobox", { name: "Schedule" }), "@daily");
    expect(editorDoc.latest?.schedule).toBe("@daily");
    expect(screen.getByTestId("schedule-description")).toHaveTextContent("At 00:00 (UTC)");
  });

  it("adds a run parameter with a string default", async () => {
    renderPanel();
    await user().click(screen.getByRole("button", { name: "Add parameter" }));
    expect(editorDoc.latest?.params).toEqual({ param: { type: "string", default: "" } });
  });
});
