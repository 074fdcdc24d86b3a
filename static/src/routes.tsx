import type { RouteObject } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { NAV_ITEMS } from "./navigation";
import { ComingSoonPage } from "./pages/ComingSoonPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OverviewPage } from "./pages/overview/OverviewPage";

// Route objects (not <Routes>) so the app can use a data router: the editor will need
// useBlocker to guard unsaved changes, which only data routers support.
export const routes: RouteObject[] = [
  {
    path: "/",
    element: <AppLayout />,
    children: [
      { index: true, element: <OverviewPage /> },
      ...NAV_ITEMS.filter((item) => !item.available).map((item) => ({
        path: item.path.slice(1),
        element: <ComingSoonPage title={item.label} />,
      })),
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
