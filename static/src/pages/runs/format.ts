/** "1 h 2 min", "3 min 5 s", "4.2 s" — durations as people read them. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

export function durationBetween(start: string | null, end: string | null, now: Date = new Date()): number | null {
  if (!start) return null;
  const from = new Date(start).getTime();
  const to = end ? new Date(end).getTime() : now.getTime();
  return Number.isNaN(from) || Number.isNaN(to) ? null : (to - from) / 1000;
}

export function pieceName(piece: unknown): string {
  if (!piece) return "";
  if (typeof piece === "string") return piece;
  if (typeof piece === "object" && "name" in piece) {
    const p = piece as { name?: string; repository?: string; version?: string };
    return [p.name, p.repository && p.version ? `(${p.repository} ${p.version})` : p.repository].filter(Boolean).join(" ");
  }
  return JSON.stringify(piece);
}

/** When a run happened, for titles: its start, else its logical date, else when it was queued. */
export function runWhen(run: { start_date: string | null; logical_date?: string | null; queued_at?: string | null }): string | null {
  return run.start_date ?? run.logical_date ?? run.queued_at ?? null;
}

/**
 * A run's readable title, "Sales report · run of 2 Dec 2026, 16:48 · Success", instead of its id
 * (`manual__2026-12-02T16:48:36.123+00:00`). `formatWhen` renders the date (kept injectable for tests).
 */
export function runTitle(
  workflowName: string,
  run: { run_id: string; state: string | null; start_date: string | null; logical_date?: string | null; queued_at?: string | null },
  formatWhen: (iso: string) => string,
  stateLabel: (state: string) => string,
): string {
  const when = runWhen(run);
  const parts = [workflowName, when ? `run of ${formatWhen(when)}` : `run ${run.run_id}`];
  if (run.state) parts.push(stateLabel(run.state));
  return parts.join(" · ");
}
