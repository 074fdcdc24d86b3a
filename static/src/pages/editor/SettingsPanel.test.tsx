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

  it("suggests IANA timezones once the timezone field is focused, and takes a typed one", async () => {
    renderPanel();
    const zone = screen.getByRole("combobox", { name: "Timezone" });
    expect(zone).toHaveAttribute("list", "domino-timezones");
    expect(document.getElementById("domino-timezones")).toBeNull();
    await user().click(zone);
    const choices = [...document.querySelectorAll("#domino-timezones option")].map((o) => o.getAttribute("value"));
    expect(choices).toContain("Europe/Paris");
    expect(choices.length).toBeGreaterThan(300);
    await user().clear(zone);
    await user().type(zone, "Europe/Paris");
    expect(editorDoc.latest?.timezone).toBe("Europe/Paris");
  });
});
