/** Schedules as the editor offers them, and in words (cronstrue; the server uses cron-descriptor). */
import cronstrue from "cronstrue";

export const CRON_PRESETS: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@quarterly": "0 0 1 */3 *",
  "@yearly": "0 0 1 1 *",
};

export const SCHEDULE_PRESETS: { value: string; label: string }[] = [
  { value: "", label: "None (manual runs only)" },
  { value: "@once", label: "Once, at the start date" },
  { value: "@continuous", label: "Continuously" },
  { value: "@hourly", label: "Hourly" },
  { value: "@daily", label: "Daily" },
  { value: "@weekly", label: "Weekly" },
  { value: "@monthly", label: "Monthly" },
  { value: "@quarterly", label: "Quarterly" },
  { value: "@yearly", label: "Yearly" },
  { value: "cron", label: "Custom (cron)" },
];

export type ScheduleDescription = { ok: true; text: string } | { ok: false; error: string };

function words(expression: string): string {
  return cronstrue.toString(expression, { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
}

/** A sentence like "At 05:00, Monday through Friday (Europe/Paris)", or why it is not valid. */
export function describeSchedule(schedule: string | null | undefined, timezone = "UTC"): ScheduleDescription {
  if (schedule === null || schedule === undefined || schedule === "") return { ok: true, text: "Manual runs only" };
  if (schedule === "@once") return { ok: true, text: "Once, at the start date" };
  if (schedule === "@continuous") return { ok: true, text: "Continuously: a new run starts as soon as the previous one finishes" };
  const expression = CRON_PRESETS[schedule] ?? schedule;
  if (schedule.startsWith("@") && !(schedule in CRON_PRESETS)) return { ok: false, error: `Unknown schedule keyword \`${schedule}\`.` };
  if (expression.trim() !== expression) return { ok: false, error: "Remove the surrounding spaces." };
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) {
    return { ok: false, error: `A cron expression has exactly 5 fields (minute hour day-of-month month day-of-week); this one has ${fields.length}.` };
  }
  try {
    return { ok: true, text: `${words(expression)} (${timezone || "UTC"})` };
  } catch (error) {
    return { ok: false, error: `Not a valid cron expression: ${String(error).replace(/^Error: /, "")}` };
  }
}

/** "2026-11-01T00:00:00Z" in `timeZone` → "2026-11-01T01:00" for a datetime-local input. */
export function toLocalInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: safeZone(timeZone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

const knownZones = new Map<string, boolean>();

/** Whether the browser knows `timeZone` (asked once per name: building a formatter costs milliseconds, and settings re-render often). */
export function isValidTimeZone(timeZone: string): boolean {
  // The usual zone, without a formatter: the page's first Intl.DateTimeFormat loads the time zone data
  // (~15 ms while the editor opens on its Settings tab, issue 12).
  if (timeZone === "UTC") return true;
  const known = knownZones.get(timeZone);
  if (known !== undefined) return known;
  let valid = true;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    valid = false;
  }
  knownZones.set(timeZone, valid);
  return valid;
}

/** Offset of `timeZone` at `utcMs`, in minutes east of UTC. */
function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: safeZone(timeZone),
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - utcMs) / 60000);
}

/** A datetime-local value read in `timeZone` → ISO 8601 with that zone's offset, e.g. "+01:00". */
export function fromLocalInput(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let offset = offsetMinutes(naive, timeZone);
  offset = offsetMinutes(naive - offset * 60000, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  const suffix = offset === 0 ? "Z" : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:00${suffix}`;
}
