export interface NavItem {
  path: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: "/workflows", label: "Workflows" },
  { path: "/approvals", label: "Waiting for you" },
  { path: "/pieces", label: "Pieces" },
  { path: "/secrets", label: "Secrets" },
  { path: "/overview", label: "Overview" },
];
