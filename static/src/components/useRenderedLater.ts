import { startTransition, useEffect, useState } from "react";

/**
 * False on a component's first render, true from a transition started right after it committed.
 * What a page shows beside its main content (the editor's palette entries) renders after the
 * content is on screen, in slices that a click or a key press interrupts: opening a 500-task
 * workflow showed its canvas only once the palette's ~30 entries had rendered too (issue 12).
 */
export function useRenderedLater(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    startTransition(() => setReady(true));
  }, []);
  return ready;
}
