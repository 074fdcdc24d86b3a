/** Small hints of the editor's settings form: the workflow id suggested from the name, what saving a past start date does. */
import type { WorkflowDoc } from "./workflowDoc";

/** "Daily sales (EU)" → "daily_sales_eu": a valid workflow id (a lowercase letter first, then letters, digits, _), or "". */
export function workflowIdFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 200)
    .replace(/_+$/, "");
}

/**
 * What Airflow does right after saving when the start date is already past, or null when it starts
 * nothing by itself. Airflow's cron schedules with catch-up off start one run for the latest
 * scheduled time at once (CronTriggerTimetable takes the latest of it and the start date);
 * with catch-up on, one for every scheduled time since the start date.
 */
export function pastStartNotice(doc: Pick<WorkflowDoc, "schedule" | "schedule_on" | "start_date" | "catchup">, now: Date = new Date()): string | null {
  const schedule = doc.schedule ?? null;
  if (schedule === null || schedule === "" || doc.schedule_on) return null;
  const start = doc.start_date ? Date.parse(doc.start_date) : Number.NaN;
  const past = !Number.isNaN(start) && start < now.getTime();
  const unlessPaused = "unless the workflow is paused";
  if (schedule === "@continuous") return past || !doc.start_date ? `Once saved, the first run starts right away (${unlessPaused}), then a new one each time the previous one ends.` : null;
  if (!past) return null;
  if (schedule === "@once") return `The start date is in the past: once saved, Airflow runs the workflow right away (${unlessPaused}).`;
  if (doc.catchup)
    return `The start date is in the past and catch-up is on: once saved, Airflow starts a run for every scheduled time since the start date, right away (${unlessPaused}).`;
  return `The start date is in the past: once saved, Airflow starts one run right away for the latest scheduled time (${unlessPaused}), then one at each scheduled time. Earlier times are skipped, as catch-up is off.`;
}
