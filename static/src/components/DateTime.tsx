import { formatDateTime, formatRelative } from "../lib/format";

interface DateTimeProps {
  value: string;
  /** Show "3 hours ago" with the full date as tooltip, instead of the date itself. */
  relative?: boolean;
}

export function DateTime({ value, relative = false }: DateTimeProps) {
  const full = formatDateTime(value);
  return (
    <time dateTime={value} title={full}>
      {relative ? formatRelative(value) : full}
    </time>
  );
}
