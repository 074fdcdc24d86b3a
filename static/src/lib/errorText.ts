import type { FieldError } from "../api/types";

/**
 * The lines an error alert shows: the message once, then the field errors that add something.
 *
 * The API often repeats its message as the one field error (and a message may already start with
 * the field's path), which read as "source_url: source_url: …" when both were printed.
 */
export function errorLines(message: string, errors: FieldError[]): { message: string; items: FieldError[] } {
  const items = errors
    .map((item) => ({ ...item, message: item.path && item.message.startsWith(`${item.path}: `) ? item.message.slice(item.path.length + 2) : item.message }))
    .filter((item, index, all) => all.findIndex((other) => other.path === item.path && other.message === item.message) === index);
  const same = (item: FieldError) => item.message === message || `${item.path}: ${item.message}` === message;
  if (items.length === 1 && same(items[0] as FieldError)) {
    const only = items[0] as FieldError;
    return { message: only.path && !message.startsWith(`${only.path}: `) ? `${only.path}: ${only.message}` : message, items: [] };
  }
  return { message, items: items.filter((item) => !same(item)) };
}
