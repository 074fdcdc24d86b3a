import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { INFO, renderPage, stubApi } from "./testUtils";
import { WorkflowsPage } from "./WorkflowsPage";

const API = "/airflow/domino/api/v1";
const WORKFLOW = {
  id: "daily_sales",
  name: "Daily sales",
  description: "",
  tags: ["sales"],
  schedule: "0 5 * * MON-FRI",
  schedule_description: "At 05:00, Monday through Friday",
  status: "valid",
  is_paused: false,
  next_run: "2026-11-30T05:00:00Z",
  last_run_state: "failed",
  last_run_at: "2026-11-28T05:00:00Z",
  revision: { id: 3, number: 2, created_at: "2026-11-28T10:00:00Z", author: "admin", message: "" },
  created_by: "ada",
  updated_at: "2026-11-28T10:00:00Z",
  updated_by: "admin",
};
const DETAIL = {
  ...WORKFLOW,
  document: {
    id: "daily_sales",
    name: "Daily sales",
    params: {
      region: { type: "string", default: "EU", enum: ["EU", "US"], description: "Sales `region` code" },
      limit: { type: "integer", default: 5, minimum: 1, maximum: 100 },
    },
  },
};

describe("Workflows page", () => {
  it("lists workflows with status, schedule in words, last run and owner", async () => {
    const fetchMock = stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/workflows`]: { status: 200, body: { items: [WORKFLOW], total: 1 } },
    });
    renderPage("/workflows", <WorkflowsPage />, "/workflows");
    const table = await screen.findByRole("table", { name: "Workflows" });
    const row = within(table).getByRole("row", { name: /Daily sales/ });
    expect(within(row).getByText("Valid")).toBeInTheDocument();
    expect(within(row).getByText("At 05:00, Monday through Friday")).toBeInTheDocument();
    expect(within(row).getByText("Failed")).toBeInTheDocument();
    expect(within(row).getByText("ada")).toBeInTheDocument();
    expect(within(row).getByRole("link", { name: "Edit" })).toHaveAttribute("href", "/airflow/domino/ui/workflows/daily_sales/edit");
    expect(screen.getByRole("link", { name: "New workflow" })).toHaveAttribute("href", "/airflow/domino/ui/workflows/new");
    const urls = fetchMock.mock.calls.map(([input]) => input as string);
    expect(urls).toContain(`${API}/workflows?limit=25&offset=0`);
  });

  it("does not offer Run for a workflow that has only drafts (it has no DAG yet)", async () => {
    const draft = { ...WORKFLOW, id: "half_done", name: "Half done", status: "draft", is_paused: null, next_run: null, has_draft: true };
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/workflows`]: { status: 200, body: { items: [draft, WORKFLOW], total: 2 } },
    });
    renderPage("/workflows", <WorkflowsPage />, "/workflows");
    const draftRow = await screen.findByRole("row", { name: /Half done/ });
    const run = within(draftRow).getByRole("button", { name: "Run" });
    expect(run).toBeDisabled();
    expect(run).toHaveAttribute("title", expect.stringMatching(/save a valid revision/));
    const validRow = screen.getByRole("row", { name: /Daily sales/ });
    expect(within(validRow).getByRole("button", { name: "Run" })).toBeEnabled();
  });

  it("runs with parameters from the form and shows the server's 422 on its field", async () => {
    const posted: unknown[] = [];
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/workflows`]: { status: 200, body: { items: [WORKFLOW], total: 1 } },
      [`${API}/workflows/daily_sales`]: { status: 200, body: DETAIL },
      [`POST ${API}/workflows/daily_sales/runs`]: (init) => {
        posted.push(JSON.parse(init?.body as string));
        return {
          status: 422,
          body: { detail: "Invalid run parameters", errors: [{ path: "params.limit", message: "Must be at most 50 for this region." }] },
        };
      },
    });
    const user = userEvent.setup();
    renderPage("/workflows", <WorkflowsPage />, "/workflows");
    const row = await screen.findByRole("row", { name: /Daily sales/ });
    await user.click(within(row).getByRole("button", { name: "Run" }));

    const dialog = await screen.findByRole("dialog");
    const region = await within(dialog).findByRole("combobox", { name: /region/ });
    await user.selectOptions(region, "US");
    const limit = within(dialog).getByRole("spinbutton", { name: /limit/ });
    await user.clear(limit);
    await user.type(limit, "70");
    await user.click(within(dialog).getByRole("button", { name: "Start run" }));

    expect(await within(dialog).findByText("Must be at most 50 for this region.")).toBeInTheDocument();
    // The description's Markdown is rendered (no raw backticks), the default shown verbatim as code.
    const help = within(dialog).getByText(/Sales/);
    expect(help.querySelector("code")?.textContent).toBe("region");
    expect(help.textContent).not.toContain("`");
    expect(within(dialog).getByText("EU", { selector: "code" })).toBeInTheDocument();
    expect(posted).toEqual([{ params: { region: "US", limit: 70 } }]);
  });

  it("checks numbers before sending", async () => {
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/workflows`]: { status: 200, body: { items: [WORKFLOW], total: 1 } },
      [`${API}/workflows/daily_sales`]: { status: 200, body: DETAIL },
    });
    const user = userEvent.setup();
    renderPage("/workflows", <WorkflowsPage />, "/workflows");
    await user.click(within(await screen.findByRole("row", { name: /Daily sales/ })).getByRole("button", { name: "Run" }));
    const dialog = await screen.findByRole("dialog");
    const limit = await within(dialog).findByRole("spinbutton", { name: /limit/ });
    await user.clear(limit);
    await user.type(limit, "500");
    await user.click(within(dialog).getByRole("button", { name: "Start run" }));
    expect(await within(dialog).findByText("Must be at most 100.")).toBeInTheDocument();
  });

  it("explains an empty list", async () => {
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/workflows`]: { status: 200, body: { items: [], total: 0 } },
    });
    renderPage("/workflows", <WorkflowsPage />, "/workflows");
    expect(await screen.findByText("No workflows yet.")).toBeInTheDocument();
  });
});
