import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../App";
import type { StepOut } from "../../api/approvals";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { stubApi } from "../workflows/testUtils";
import { TaskSteps } from "./TaskSteps";

const STEP: StepOut = {
  workflow_id: "wf",
  workflow_name: "Wf",
  run_id: "r1",
  task_id: "approval",
  map_index: -1,
  task_state: "awaiting_input",
  title: "Ship it?",
  body: null,
  options: ["Approve", "Reject"],
  multiple: false,
  fields: {},
  on_timeout: null,
  respondents: [],
  created_at: null,
  timeout_at: null,
  can_respond: true,
  responded_at: null,
  responded_by: null,
  chosen_options: null,
  params_input: {},
};

afterEach(() => vi.unstubAllGlobals());

describe("TaskSteps", { timeout: 60_000 }, () => {
  it("shows a step asked after the panel opened, while the task is unfinished", async () => {
    let asked = false;
    const fetchMock = stubApi({
      "/airflow/domino/api/v1/workflows/wf/runs/r1/approvals": () => ({ status: 200, body: { items: asked ? [STEP] : [] } }),
    });
    const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/wf/runs/r1");
    render(
      <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
        <TaskSteps workflowId="wf" runId="r1" taskId="approval" waiting />
      </AppProviders>,
    );
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(screen.queryByRole("article", { name: "Ship it?" })).toBeNull();
    asked = true;
    // The next poll (every 3 s) finds it.
    expect(await screen.findByRole("article", { name: "Ship it?" }, { timeout: 15_000 })).toBeInTheDocument();
  });
});
