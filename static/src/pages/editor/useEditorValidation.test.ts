import { renderHook, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { emptyWorkflow, type WorkflowDoc } from "../../lib/workflowDoc";
import { stubApi } from "../workflows/testUtils";
import { sameExceptUi, useEditorValidation } from "./useEditorValidation";

const base: WorkflowDoc = { ...emptyWorkflow(), id: "wf", name: "wf", ui: { nodes: { a: { x: 0, y: 0 } } } };

describe("sameExceptUi (what the live validation is keyed on)", () => {
  it("treats moving nodes or the viewport as no change, so they do not validate again", () => {
    expect(sameExceptUi(base, { ...base, ui: { nodes: { a: { x: 120, y: 40 } }, viewport: { x: 1, y: 2, zoom: 1.5 } } })).toBe(true);
  });

  it("sees any other change: a new tasks list, a renamed workflow, a part added", () => {
    expect(sameExceptUi(base, { ...base, tasks: [...base.tasks] })).toBe(false);
    expect(sameExceptUi(base, { ...base, name: "other" })).toBe(false);
    expect(sameExceptUi(base, { ...base, schedule: "@daily" })).toBe(false);
  });
});

describe("useEditorValidation", { timeout: 30_000 }, () => {
  it("keeps the same issues objects while the server's answers say the same, and gives new ones when they change", async () => {
    let validations = 0;
    stubApi({
      "POST /airflow/domino/api/v1/workflows/validate": (init) => {
        validations += 1;
        const doc = JSON.parse(init?.body as string) as WorkflowDoc;
        const errors = doc.description === "broken" ? [{ path: "description", message: "Not that" }] : [{ path: "schedule", message: "Pick one" }];
        return { status: 200, body: { valid: false, errors, warnings: [] } };
      },
    });
    const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/new");
    const wrapper = ({ children }: { children: ReactNode }) =>
      createElement(AppProviders, { environment: { urls, api: createApiClient(urls.apiRoot) }, queryClient: createQueryClient(), children });
    const { result, rerender } = renderHook(({ doc }: { doc: WorkflowDoc }) => useEditorValidation(doc), { wrapper, initialProps: { doc: base } });
    await waitFor(() => expect(result.current.checking).toBe(false), { timeout: 5000 });
    const first = result.current.issues;
    expect(first.workflow.map((i) => i.message)).toEqual(["Pick one"]);

    rerender({ doc: { ...base, name: "renamed" } });
    await waitFor(() => expect(validations).toBe(2), { timeout: 5000 });
    await waitFor(() => expect(result.current.checking).toBe(false));
    expect(result.current.issues).toBe(first);

    rerender({ doc: { ...base, description: "broken" } });
    await waitFor(() => expect(result.current.issues.workflow.map((i) => i.message)).toEqual(["Not that"]), { timeout: 5000 });
  });
});
