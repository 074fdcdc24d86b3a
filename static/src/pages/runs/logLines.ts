import type { LogLineObject } from "../../api/runs";

/** A run of consecutive log lines: Airflow's own, or the piece's output between its markers. */
export interface LogSegment {
  kind: "airflow" | "piece";
  /** The piece name for a piece segment. */
  piece?: string;
  lines: string[];
  /** A piece segment whose end marker has not arrived yet (the task is still running). */
  open?: boolean;
}

// "──── piece AddPiece output start ────" (any run of box-drawing or ASCII dashes around it).
const MARKER = /[─-]{2,}\s*piece\s+(\S+)\s+output\s+(start|end)\s*[─-]{2,}/;

/** One log line as text: the API sends strings, or structured records with an `event`. */
export function lineText(line: string | LogLineObject): string {
  if (typeof line === "string") return line;
  const event = typeof line.event === "string" ? line.event : JSON.stringify(line);
  const prefix = [line.timestamp, line.level ? String(line.level).toUpperCase() : undefined].filter(Boolean).join(" ");
  return prefix ? `[${prefix}] ${event}` : event;
}

export function markerOf(text: string): { piece: string; edge: "start" | "end" } | null {
  const match = MARKER.exec(text);
  return match ? { piece: match[1] ?? "", edge: match[2] as "start" | "end" } : null;
}

/** Splits a log into segments; marker lines themselves become the segment's boundaries. */
export function segmentLog(lines: readonly (string | LogLineObject)[]): LogSegment[] {
  const segments: LogSegment[] = [];
  let current: LogSegment | null = null;
  const push = (segment: LogSegment) => {
    segments.push(segment);
    return segment;
  };
  for (const raw of lines) {
    const text = lineText(raw);
    const marker = markerOf(text);
    if (marker?.edge === "start") {
      current = push({ kind: "piece", piece: marker.piece, lines: [], open: true });
      continue;
    }
    if (marker?.edge === "end") {
      if (current?.kind === "piece") current.open = false;
      current = null;
      continue;
    }
    if (!current || (current.kind === "piece" && current.open === false)) current = push({ kind: "airflow", lines: [] });
    current.lines.push(text);
  }
  return segments.filter((segment) => segment.kind === "piece" || segment.lines.length > 0);
}
