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
