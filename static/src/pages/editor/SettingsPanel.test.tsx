import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect, useState } from "react";
import { describe, expect, it } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { locateIssues } from "../../lib/validationPaths";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { EditorContext, type EditorData } from "./EditorContext";
import { SettingsPanel } from "./SettingsPanel";

const latest: { doc: WorkflowDoc | null } = { doc: null };

/** The editor's context around the settings panel, holding the document in state as the editor does. */
function Harness() {
  const [doc, setDoc] = useState<WorkflowDoc>(() => ({ ...emptyWorkflow(), id: "sales", name: "Sales" }));
  useEffect(() => {
    latest.doc = doc;
  }, [doc]);
  const data: EditorData = {
    doc,
    edit: (next) => setDoc((d) => (typeof next === "function" ? next(d) : next)),
    readOnly: false,
    catalog: [],
    pieceOf: () => undefined,
    taskPiece: () => undefined,
    issues: locateIssues([], doc),
    warnings: locateIssues([], doc),
    notify: () => undefined,
  };
  return (
    <EditorContext.Provider value={data}>
      <SettingsPanel isNew={false} />
    </EditorContext.Provider>
  );
}

function renderPanel() {
  const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/sales/edit");
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
      <Harness />
    </AppProviders>,
  );
}

const user = () => userEvent.setup({ delay: null });

// Rendering Chakra on a loaded machine is slow; this limits the test's run, it asserts nothing about time.
describe("SettingsPanel", { timeout: 30_000 }, () => {
  it("sets a daily schedule and says it in words", async () => {
    renderPanel();
    await user().selectOptions(screen.getByRole("combobox", { name: "Schedule" }), "@daily");
    expect(latest.doc?.schedule).toBe("@daily");
    expect(screen.getByTestId("schedule-description")).toHaveTextContent("At 00:00 (UTC)");
  });

  it("adds a run parameter with a string default", async () => {
    renderPanel();
    await user().click(screen.getByRole("button", { name: "Add parameter" }));
    expect(latest.doc?.params).toEqual({ param: { type: "string", default: "" } });
  });
});
