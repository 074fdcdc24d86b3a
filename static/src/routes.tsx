import { Spinner } from "@chakra-ui/react";
import { Navigate, type RouteObject } from "react-router";
import { prefetchEditor } from "./api/prefetch";
import { AppLayout } from "./components/AppLayout";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OverviewPage } from "./pages/overview/OverviewPage";

// Route objects (not <Routes>) so the app can use a data router: the editor will need
// useBlocker to guard unsaved changes, which only data routers support.
export const routes: RouteObject[] = [
  {
    path: "/",
    element: <AppLayout />,
    // Shown while the first page's lazy chunk loads.
    hydrateFallbackElement: <Spinner size="sm" m="6" aria-label="Loading" />,
    children: [
      // The workflow list is the home page; the Overview (versions, repositories) stays one click away.
      { index: true, element: <Navigate to="/workflows" replace /> },
      { path: "overview", element: <OverviewPage /> },
      // Pages load on demand (each its own chunk); React Flow and the result renderers stay out of the entry.
      { path: "workflows", lazy: async () => ({ Component: (await import("./pages/workflows/WorkflowsPage")).WorkflowsPage }) },
      // The editor (React Flow, dagre, cronstrue) is its own chunk; both paths share one component so saving a new workflow keeps the editor mounted.
      // Their loaders request the editor's data while the chunk loads (api/prefetch.ts), on entering only.
      {
        path: "workflows/new",
        loader: () => prefetchEditor(undefined),
        shouldRevalidate: () => false,
        lazy: async () => ({ Component: (await import("./pages/editor/EditorPage")).EditorPage }),
      },
      {
        path: "workflows/:workflowId/edit",
        loader: ({ params }) => prefetchEditor(params.workflowId),
        shouldRevalidate: () => false,
        lazy: async () => ({ Component: (await import("./pages/editor/EditorPage")).EditorPage }),
      },
      { path: "workflows/:workflowId/runs", lazy: async () => ({ Component: (await import("./pages/runs/RunsPage")).RunsPage }) },
      { path: "workflows/:workflowId/runs/:runId", lazy: async () => ({ Component: (await import("./pages/runs/RunPage")).RunPage }) },
      {
        path: "workflows/:workflowId/runs/:runId/report",
        lazy: async () => ({ Component: (await import("./pages/runs/RunReportPage")).RunReportPage }),
      },
      { path: "pieces", lazy: async () => ({ Component: (await import("./pages/pieces/PiecesPage")).PiecesPage }) },
      { path: "pieces/:pieceId", lazy: async () => ({ Component: (await import("./pages/pieces/PieceDocPage")).PieceDocPage }) },
      { path: "approvals", lazy: async () => ({ Component: (await import("./pages/approvals/ApprovalsPage")).ApprovalsPage }) },
      { path: "secrets", lazy: async () => ({ Component: (await import("./pages/secrets/SecretsPage")).SecretsPage }) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
