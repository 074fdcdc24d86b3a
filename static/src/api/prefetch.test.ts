import { renderHook, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { AppProviders } from "../App";
import { INFO, stubApi } from "../pages/workflows/testUtils";
import { createApiClient } from "./client";
import { prefetchEditor, setPrefetchTarget } from "./prefetch";
import { createQueryClient } from "./queries";
import { appUrlsFromPathname } from "./urls";
import { useWorkflow } from "./workflows";

const API = "/airflow/domino/api/v1";

describe("prefetchEditor", () => {
  it("requests what the editor loads first, and the editor's useWorkflow uses it instead of fetching the workflow again", async () => {
    const fetchMock = stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/pieces`]: { status: 200, body: { items: [], total: 0, limit: 1000, offset: 0 } },
      [`${API}/workflows/sums`]: { status: 200, body: { id: "sums", name: "Sums", document: {}, revision: null, deployed_revision: null } },
    });
    const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/sums/edit");
    const environment = { urls, api: createApiClient(urls.apiRoot) };
    const queryClient = createQueryClient();
    setPrefetchTarget(queryClient, environment.api);
    const requested = () => fetchMock.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : input.toString(), "http://airflow.test").pathname);

    expect(prefetchEditor("sums")).toBeNull();
    await waitFor(() => expect(queryClient.getQueryData(["workflows", "detail", "sums"])).toBeDefined());
    expect(requested().sort()).toEqual([`${API}/info`, `${API}/pieces`, `${API}/workflows/sums`]);

    const wrapper = ({ children }: { children: ReactNode }) => createElement(AppProviders, { environment, queryClient, children });
    const { result } = renderHook(() => useWorkflow("sums"), { wrapper });
    expect(result.current.data?.name).toBe("Sums");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested().filter((p) => p.endsWith("/workflows/sums"))).toHaveLength(1);
  });

  it("then requests the details of the installed pieces the workflow uses, before the editor renders", async () => {
    const piece = { id: 7, name: "AddPiece", repository: "repo", version: "1.0", repository_id: 1, description: "", tags: [], style: {} };
    const fetchMock = stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/pieces`]: { status: 200, body: { items: [piece], total: 1, limit: 1000, offset: 0 } },
      [`${API}/workflows/sums`]: {
        status: 200,
        body: {
          id: "sums",
          name: "Sums",
          revision: null,
          document: {
            tasks: [
              { id: "a", piece: { repository: "repo", version: "1.0", name: "AddPiece" } },
              { id: "b", piece: { repository: "repo", version: "1.0", name: "AddPiece" } },
              { id: "c", piece: { repository: "repo", version: "9.9", name: "Gone" } },
            ],
          },
        },
      },
      [`${API}/pieces/7`]: { status: 200, body: { ...piece, input_schema: {}, output_schema: {} } },
    });
    const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/sums/edit");
    const queryClient = createQueryClient();
    setPrefetchTarget(queryClient, createApiClient(urls.apiRoot));

    prefetchEditor("sums");
    await waitFor(() => expect(queryClient.getQueryData(["pieces", "detail", 7])).toBeDefined());
    const paths = fetchMock.mock.calls.map(([input]) => new URL(input instanceof Request ? input.url : input.toString(), "http://airflow.test").pathname);
    expect(paths.filter((p) => p.startsWith(`${API}/pieces/`))).toEqual([`${API}/pieces/7`]);
  });
});
