/**
 * Task and run states as Airflow 3's UI shows them: the same hues (success green, failed red,
 * running cyan, up_for_retry yellow, upstream_failed orange, skipped pink, deferred purple…),
 * as Chakra colour palettes so they follow light/dark mode.
 */
export interface StateStyle {
  /** Chakra colour palette, e.g. "green". */
  palette: string;
  /** Words for people: "Up for retry". */
  label: string;
}

const STYLES: Record<string, StateStyle> = {
  success: { palette: "green", label: "Success" },
  failed: { palette: "red", label: "Failed" },
  running: { palette: "cyan", label: "Running" },
  queued: { palette: "gray", label: "Queued" },
  scheduled: { palette: "yellow", label: "Scheduled" },
  up_for_retry: { palette: "yellow", label: "Up for retry" },
  up_for_reschedule: { palette: "teal", label: "Up for reschedule" },
  upstream_failed: { palette: "orange", label: "Upstream failed" },
  skipped: { palette: "pink", label: "Skipped" },
  deferred: { palette: "purple", label: "Deferred" },
  restarting: { palette: "purple", label: "Restarting" },
  removed: { palette: "gray", label: "Removed" },
};

const NO_STATE: StateStyle = { palette: "gray", label: "No status" };

export function stateStyle(state: string | null | undefined): StateStyle {
  if (!state || state === "none" || state === "no_status") return NO_STATE;
  return STYLES[state] ?? { palette: "gray", label: state.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) };
}

/** Run states a person can filter by (Airflow's DagRunState). */
export const RUN_STATES = ["queued", "running", "success", "failed"] as const;
