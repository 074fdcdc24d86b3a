import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { vi } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";

export const INFO = {
  version: "0.1.0",
  airflow_version: "3.3.2",
  user: { name: "admin" },
  permissions: { read: true, edit_workflows: true, run_workflows: true, manage_secrets: true, admin: true },
};

export interface MockResponse {
  status: number;
  body?: unknown;
}

export type MockRoutes = Record<string, MockResponse | ((init: RequestInit | undefined, url: URL) => MockResponse)>;

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : input.url;
}

/** Mocks only the network; keys are "METHOD /path" (or "/path" for GET). */
export function stubApi(routes: MockRoutes) {
  const fetchMock = vi.fn<typeof fetch>((input, init) => {
    const url = new URL(requestUrl(input), "http://airflow.test");
    const method = init?.method ?? "GET";
    const match = routes[`${method} ${url.pathname}`] ?? (method === "GET" ? routes[url.pathname] : undefined);
    const response = typeof match === "function" ? match(init, url) : match;
    if (!response) return Promise.resolve(new Response(JSON.stringify({ detail: `No mock for ${method} ${url.pathname}` }), { status: 404 }));
    return Promise.resolve(
      new Response(response.status === 204 ? null : JSON.stringify(response.body), { status: response.status, headers: { "Content-Type": "application/json" } }),
    );
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** Renders one page at `path` (under /airflow/domino/ui) with the app's providers. */
export function renderPage(routePath: string, element: ReactElement, path: string) {
  const full = `/airflow/domino/ui${path}`;
  const urls = appUrlsFromPathname(full);
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(
    [
      { path: routePath, element },
      { path: "*", element: <p>elsewhere</p> },
    ],
    { initialEntries: [full], basename: urls.basename },
  );
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}
