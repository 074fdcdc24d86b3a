/**
 * Where a file a Markdown result refers to is served from.
 *
 * Pieces write reports that name their files either relative to the report (`chart.png`) or by
 * the server path they wrote them to (`/…/<workflow>/<run>/<task>/chart.png`). Neither works in
 * the browser, so both are mapped to the run's files endpoint
 * (`…/runs/{run}/tasks/{task}/files/{path}`). Server paths outside the run's results folder are
 * dropped: the browser would ask the web server for them, and they are not the run's to show.
 */
export interface FileContext {
  /** `…/runs/{run}/tasks/{task}/files/` of the task whose result this is (ends with "/"). */
  filesUrl: string;
  /** The task's results folder as its piece saw it (`results_folder` of the API). */
  resultsFolder?: string | null;
  /** Folder of the result file inside the results folder ("" for the top), for relative links. */
  baseDir?: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);

function encodePath(path: string): string {
  return path
    .split("/")
    .map((part) => encodeURIComponent(decodeURIComponentSafe(part)))
    .join("/");
}

function decodeURIComponentSafe(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `a/./b/../c` → `a/c`; null when the path climbs above its root. */
export function normalisePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

function stripFileScheme(path: string): string {
  return path.startsWith("file://") ? path.slice("file://".length) : path;
}

/** Files URL of another task of the same run: swaps the task segment of `filesUrl`. */
function siblingFilesUrl(filesUrl: string, taskId: string): string {
  return filesUrl.replace(/\/tasks\/[^/]+\/files\/$/, `/tasks/${encodeURIComponent(taskId)}/files/`);
}

/**
 * The URL the browser should use for `url` found in a Markdown result, or "" to drop it.
 * Anchors (`#…`) and http(s)/mailto links are kept; other schemes (javascript:, data:, …) dropped.
 */
export function resolveResultUrl(url: string, context: FileContext): string {
  const value = url.trim();
  if (value === "" || value.startsWith("#")) return value;
  if (value.startsWith("//")) return "";
  const [pathPart, suffix = ""] = splitSuffix(value);
  const folder = context.resultsFolder ? stripFileScheme(context.resultsFolder).replace(/\/+$/, "") : "";
  if (SCHEME.test(value) && !value.startsWith("file://")) {
    if (folder && SCHEME.test(folder) && value.startsWith(`${folder}/`)) {
      return inFolder(value.slice(folder.length + 1), suffix, context);
    }
    const scheme = value.slice(0, value.indexOf(":") + 1).toLowerCase();
    if (folder && SCHEME.test(folder)) {
      const runFolder = folder.replace(/\/[^/]+$/, "");
      if (value.startsWith(`${runFolder}/`)) return inRun(pathPart.slice(runFolder.length + 1), suffix, context);
    }
    return SAFE_SCHEMES.has(scheme) ? value : "";
  }
  const path = stripFileScheme(pathPart);
  if (path.startsWith("/")) {
    if (!folder || SCHEME.test(folder)) return "";
    if (path.startsWith(`${folder}/`)) return inFolder(path.slice(folder.length + 1), suffix, context);
    const runFolder = folder.replace(/\/[^/]+$/, "");
    if (runFolder && path.startsWith(`${runFolder}/`)) return inRun(path.slice(runFolder.length + 1), suffix, context);
    return "";
  }
  const base = context.baseDir ? `${context.baseDir.replace(/\/+$/, "")}/` : "";
  return inFolder(`${base}${path}`, suffix, context);
}

function splitSuffix(value: string): [string, string] {
  const index = value.search(/[?#]/);
  return index < 0 ? [value, ""] : [value.slice(0, index), value.slice(index)];
}

function inFolder(relative: string, suffix: string, context: FileContext): string {
  const normal = normalisePath(relative.replace(/[?#].*$/, ""));
  if (!normal) return "";
  return `${context.filesUrl}${encodePath(normal)}${suffix.startsWith("#") ? suffix : ""}`;
}

function inRun(relative: string, suffix: string, context: FileContext): string {
  const normal = normalisePath(relative.replace(/[?#].*$/, ""));
  if (!normal || !normal.includes("/")) return "";
  const [taskId, ...rest] = normal.split("/");
  return `${siblingFilesUrl(context.filesUrl, taskId as string)}${encodePath(rest.join("/"))}${suffix.startsWith("#") ? suffix : ""}`;
}

/** `…/tasks/{task}/result` → `…/tasks/{task}/files/`. */
export function filesUrlOf(resultUrl: string): string {
  return resultUrl.replace(/\/result$/, "/files/");
}
