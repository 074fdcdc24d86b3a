import { useState } from "react";

/**
 * True from the first render with `open` on. A closed Chakra dialog still renders its content (hidden) and its
 * state machine: the editor's five closed dialogs cost ~20 ms of its first render (issue 12). Once opened, a
 * dialog stays mounted, so that it can animate out.
 */
export function useOpenedOnce(open: boolean): boolean {
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  return opened || open;
}
