import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { AppProviders } from "./App";
import { createApiClient } from "./api/client";
import { createQueryClient } from "./api/queries";
import { appUrlsFromPathname } from "./api/urls";
import { routes } from "./routes";

const urls = appUrlsFromPathname(window.location.pathname);
const environment = { urls, api: createApiClient(urls.apiRoot) };
const router = createBrowserRouter(routes, { basename: urls.basename });

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <AppProviders environment={environment} queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
