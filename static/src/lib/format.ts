const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "28 Nov 2026, 10:00" in the reader's locale and time zone; the raw text if unparsable. */
export function formatDateTime(iso: string, locale?: string): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "3 hours ago", "in 2 days", "just now". */
export function formatRelative(iso: string, now: Date = new Date(), locale?: string): string {
  const date = parse(iso);
  if (!date) return iso;
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/** "12 total" for a complete list, "50 of 80" when the server has more than it sent. */
export function pageCountNote(page: { items: readonly unknown[]; total: number } | undefined): string | undefined {
  if (!page) return undefined;
  return page.total > page.items.length ? `${page.items.length} of ${page.total}` : `${page.total} total`;
}
