import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { routes } from "../../routes";

const INFO = {
  version: "0.1.0",
  airflow_version: "3.3.2",
  user: { name: "admin" },
  permissions: { read: true, edit_workflows: true, run_workflows: true, manage_secrets: true, admin: true },
};
const REPOSITORIES = {
  items: [
    {
      id: 1,
      name: "examples",
      label: "Example pieces",
      version: "1.0.0",
      source_type: "local",
      source_url: "/opt/pieces/examples",
      status: "installed",
      piece_count: 12,
      installed_at: "2026-11-28T10:00:00Z",
      installed_by: "admin",
    },
  ],
  total: 1,
};
const WORKFLOWS = {
  items: [
    {
      id: "daily_sales",
      name: "Daily sales",
      description: "",
      tags: ["sales"],
      schedule: "@daily",
      revision: { id: 3, number: 2, created_at: "2026-11-28T10:00:00Z", author: "admin", message: "Add report" },
      updated_at: "2026-11-28T10:00:00Z",
    },
  ],
  total: 1,
};

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : input.url;
}

type Routes = Record<string, { status: number; body: unknown }>;

/** Mocks only the network: the real client, queries and components run. */
function stubApi(responses: Routes) {
  const fetchMock = vi.fn<typeof fetch>((input) => {
    const url = new URL(requestUrl(input), "http://airflow.test");
    const match = responses[url.pathname];
    const response = match
      ? new Response(JSON.stringify(match.body), { status: match.status, headers: { "Content-Type": "application/json" } })
      : new Response(JSON.stringify({ detail: `No mock for ${url.pathname}` }), { status: 404 });
    return Promise.resolve(response);
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function renderApp(path = "/airflow/domino/ui/overview") {
  const urls = appUrlsFromPathname(path);
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [path], basename: urls.basename });
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return router;
}

const ok = (body: unknown) => ({ status: 200, body });

describe("Overview page", () => {
  let consoleMessages: string[] = [];
  beforeEach(() => {
    consoleMessages = [];
    const record = (...args: unknown[]) => void consoleMessages.push(args.map(String).join(" "));
    vi.spyOn(console, "error").mockImplementation(record);
    vi.spyOn(console, "warn").mockImplementation(record);
  });
  afterEach(() => {
    expect(consoleMessages).toEqual([]);
  });

  it("shows versions, user, repositories and workflows from the API", async () => {
    const fetchMock = stubApi({
      "/airflow/domino/api/v1/info": ok(INFO),
      "/airflow/domino/api/v1/repositories": ok(REPOSITORIES),
      "/airflow/domino/api/v1/workflows": ok(WORKFLOWS),
    });
    renderApp();

    expect(screen.getByRole("heading", { name: "Overview" })).toBeInTheDocument();
    expect(await screen.findByText("Plugin 0.1.0 · Airflow 3.3.2")).toBeInTheDocument();
    expect(screen.getByText("admin", { selector: "span" })).toBeInTheDocument();

    const repositories = await screen.findByRole("table", { name: "Installed repositories" });
    const repoRow = within(repositories).getByRole("row", { name: /examples/ });
    expect(within(repoRow).getByText("Example pieces")).toBeInTheDocument();
    expect(within(repoRow).getByText("1.0.0")).toBeInTheDocument();
    expect(within(repoRow).getByText("12")).toBeInTheDocument();
    expect(within(repoRow).getByText("local")).toBeInTheDocument();

    const workflows = await screen.findByRole("table", { name: "Workflows" });
    const wfRow = within(workflows).getByRole("row", { name: /Daily sales/ });
    expect(within(wfRow).getByText("daily_sales")).toBeInTheDocument();
    expect(within(wfRow).getByText("@daily")).toBeInTheDocument();
    expect(within(wfRow).getByText("sales")).toBeInTheDocument();
    expect(within(wfRow).getByText(/#2/)).toBeInTheDocument();

    const urls = fetchMock.mock.calls.map(([input]) => requestUrl(input));
    expect(urls).toContain("/airflow/domino/api/v1/repositories?limit=50&offset=0");
    expect(urls).toContain("/airflow/domino/api/v1/workflows?limit=50&offset=0&search=");
    for (const [, init] of fetchMock.mock.calls) expect(init?.credentials).toBe("same-origin");
  });

  it("explains empty lists", async () => {
    stubApi({
      "/airflow/domino/api/v1/info": ok(INFO),
      "/airflow/domino/api/v1/repositories": ok({ items: [], total: 0 }),
      "/airflow/domino/api/v1/workflows": ok({ items: [], total: 0 }),
    });
    renderApp();
    expect(await screen.findByText(/No repositories installed yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No workflows yet/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the API's error message where the data would be", async () => {
    stubApi({
      "/airflow/domino/api/v1/info": ok(INFO),
      "/airflow/domino/api/v1/repositories": { status: 500, body: { detail: "Database is locked" } },
      "/airflow/domino/api/v1/workflows": ok(WORKFLOWS),
    });
    renderApp();
    expect(await screen.findByText("Could not load the repositories")).toBeInTheDocument();
    expect(screen.getByText("Database is locked")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    expect(await screen.findByRole("table", { name: "Workflows" })).toBeInTheDocument();
  });

  it("asks once to log in again when the session has expired", async () => {
    const expired = { status: 401, body: { detail: "Token Expired" } };
    stubApi({
      "/airflow/domino/api/v1/info": expired,
      "/airflow/domino/api/v1/repositories": expired,
      "/airflow/domino/api/v1/workflows": expired,
    });
    renderApp();
    expect(await screen.findByText("Your Airflow session has expired")).toBeInTheDocument();
    const links = screen.getAllByRole("link", { name: "Log in to Airflow again" });
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveAttribute("target", "_top"); // jsdom is not framed
    expect(links[0]?.getAttribute("href")).toMatch(/^\/airflow\/api\/v2\/auth\/login\?next=/);
    expect(await screen.findByText("Log in again to see the workflows.")).toBeInTheDocument();
  });

  it("opens the workflow list as the home page and moves between pages from the menu", async () => {
    stubApi({
      "/airflow/domino/api/v1/info": ok(INFO),
      "/airflow/domino/api/v1/repositories": ok(REPOSITORIES),
      "/airflow/domino/api/v1/workflows": ok(WORKFLOWS),
    });
    const router = renderApp("/airflow/domino/ui/");
    expect(await screen.findByRole("heading", { name: "Workflows" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/airflow/domino/ui/workflows");
    const nav = screen.getByRole("navigation", { name: "Domino" });
    expect(within(nav).getByRole("link", { name: "Workflows" })).toHaveAttribute("aria-current", "page");

    await userEvent.click(within(nav).getByRole("link", { name: "Overview" }));
    expect(await screen.findByRole("heading", { name: "Overview" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/airflow/domino/ui/overview");
    expect(within(nav).getByRole("link", { name: "Pieces" })).toHaveAttribute("href", "/airflow/domino/ui/pieces");
  });
});
