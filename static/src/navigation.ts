export interface NavItem {
  path: string;
  label: string;
  /** Pages not built yet show a placeholder; they are listed so the app's shape is visible. */
  available: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: "/workflows", label: "Workflows", available: true },
  { path: "/pieces", label: "Pieces", available: true },
  { path: "/secrets", label: "Secrets", available: true },
  { path: "/overview", label: "Overview", available: true },
];
