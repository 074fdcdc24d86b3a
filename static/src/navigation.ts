export interface NavItem {
  path: string;
  label: string;
  /** Pages not built yet show a placeholder; they are listed so the app's shape is visible. */
  available: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: "/", label: "Overview", available: true },
  { path: "/workflows", label: "Workflows", available: false },
  { path: "/pieces", label: "Pieces", available: false },
  { path: "/runs", label: "Runs", available: false },
  { path: "/secrets", label: "Secrets", available: false },
];
