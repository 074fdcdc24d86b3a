/** Where the app, its API and Airflow's login live, derived from the page's own URL. */
export interface AppUrls {
  /** Airflow's base path, "" at the root, e.g. "/airflow". No trailing slash. */
  prefix: string;
  /** React Router basename: everything up to and including "/domino/ui". */
  basename: string;
  /** Root of the plugin's REST API, e.g. "/airflow/domino/api/v1". */
  apiRoot: string;
}

// The first "/domino/ui" that is a whole path segment; the same expression is inlined in index.html.
const APP_PATH = /^(.*?)\/domino\/ui(?=\/|$)/;

export function appUrlsFromPathname(pathname: string): AppUrls {
  const match = APP_PATH.exec(pathname);
  if (!match) {
    // Served somewhere unexpected (e.g. a bare dev server at "/"): assume no Airflow prefix.
    return { prefix: "", basename: "/", apiRoot: "/domino/api/v1" };
  }
  const prefix = match[1] ?? "";
  return { prefix, basename: `${prefix}/domino/ui`, apiRoot: `${prefix}/domino/api/v1` };
}

/**
 * Airflow's own UI sends expired sessions to `<prefix>/api/v2/auth/login?next=<path>`: that
 * endpoint checks `next` and redirects to whichever auth manager's login page is configured.
 */
export function loginUrl(prefix: string, next: string): string {
  return `${prefix}/api/v2/auth/login?${new URLSearchParams({ next }).toString()}`;
}

/**
 * Whether a link with target="_top" may leave our frame. Airflow 3.3's shell embeds external
 * views in `<iframe sandbox="allow-scripts allow-same-origin allow-forms allow-downloads">`,
 * without allow-top-navigation, so Chromium refuses such links there.
 */
export function canNavigateTop(win: Window = window): boolean {
  if (win.top === win) return true;
  try {
    // Same-origin parents expose our <iframe>; null for a cross-origin parent, where we cannot tell.
    const sandbox = win.frameElement?.getAttribute("sandbox");
    if (sandbox === null || sandbox === undefined) return true;
    return /(^|\s)allow-top-navigation(-by-user-activation)?(\s|$)/.test(sandbox);
  } catch {
    return true;
  }
}

function pathOf(location: Location): string {
  return `${location.pathname}${location.search}${location.hash}`;
}

/**
 * Where "log in again" goes, and in which window. Outside a sandbox the whole tab goes to the
 * login page and comes back to the page around us; inside Airflow's sandboxed iframe only the
 * frame can navigate, so it logs in there and comes back to our own page, still in the shell.
 */
export function sessionLoginLink(prefix: string, win: Window = window): { href: string; target: "_top" | "_self" } {
  if (!canNavigateTop(win)) return { href: loginUrl(prefix, pathOf(win.location)), target: "_self" };
  let next = pathOf(win.location);
  try {
    if (win.top && win.top !== win) next = pathOf(win.top.location);
  } catch {
    // Cross-origin top: its location is unreadable, come back to our own page.
  }
  return { href: loginUrl(prefix, next), target: "_top" };
}
