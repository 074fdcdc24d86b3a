/**
 * The entry's first module (main.tsx imports it before anything else), so it runs before React,
 * Chakra's theme and the router are evaluated: on the editor's routes it requests the editor's code
 * chunk and the data it opens with (api/early.ts) while the rest of the entry evaluates (issue 12).
 */
import { startEditorRequests } from "./api/early";

if (startEditorRequests(window.location.pathname)) {
  // The same module the route's lazy() imports; a failure is the route's to report when it imports it again.
  import("./pages/editor/EditorPage").catch(() => undefined);
}
