/**
 * Asks before leaving the editor with unsaved changes, whatever the way out:
 *
 * - the app's own links (react-router's blocker),
 * - a reload, closing the tab or a typed URL (`beforeunload`, in this frame and in Airflow's page),
 * - Airflow's own navigation around the app. The app runs in an iframe of Airflow's single-page UI,
 *   whose links change the page without unloading anything: no `beforeunload` fires and the frame
 *   is simply removed. The frame is same-origin, so a capture-phase click listener on Airflow's
 *   document holds such a link's click back, asks in the app, and replays the click on "Leave".
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useBlocker } from "react-router";

export interface LeavePrompt {
  /** Whether to show the "Leave without saving?" question. */
  open: boolean;
  stay: () => void;
  leave: () => void;
}

/** Airflow's window around this frame, when there is one and it is reachable (same origin). */
export function shellWindow(): Window | null {
  try {
    if (window.parent === window) return null;
    void window.parent.document; // throws for a cross-origin parent
    return window.parent;
  } catch {
    return null;
  }
}

/** The link a click in Airflow's page would follow, when it navigates this tab. */
function leavingLink(event: MouseEvent): HTMLAnchorElement | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const start = event.target as Element | null;
  const link = start && typeof start.closest === "function" ? start.closest<HTMLAnchorElement>("a[href]") : null;
  if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) return null;
  const here = link.ownerDocument.defaultView?.location;
  if (here && link.href === here.href) return null;
  return link;
}

export function useLeavePrompt(shouldBlock: () => boolean, beforeLeave?: () => void): LeavePrompt {
  const block = useRef(shouldBlock);
  const onLeave = useRef(beforeLeave);
  useEffect(() => {
    block.current = shouldBlock;
    onLeave.current = beforeLeave;
  }, [beforeLeave, shouldBlock]);

  const blocker = useBlocker(({ currentLocation, nextLocation }) => block.current() && currentLocation.pathname !== nextLocation.pathname);
  const [shellLink, setShellLink] = useState<HTMLAnchorElement | null>(null);
  const replaying = useRef(false);
  const detach = useRef<() => void>(() => undefined);

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!block.current()) return;
      onLeave.current?.();
      event.preventDefault();
      event.returnValue = ""; // older Chromium needs it set to show the question
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    const shell = shellWindow();
    const onShellClick = (event: MouseEvent) => {
      if (replaying.current) return;
      if (!window.frameElement?.isConnected) {
        detach.current(); // this frame is gone: never hold Airflow's links back again
        return;
      }
      if (!block.current()) return;
      const link = leavingLink(event);
      if (!link) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      setShellLink(link);
    };
    shell?.document.addEventListener("click", onShellClick, true);
    shell?.addEventListener("beforeunload", onBeforeUnload);
    let attached = true;
    detach.current = () => {
      if (!attached) return;
      attached = false;
      shell?.document.removeEventListener("click", onShellClick, true);
      shell?.removeEventListener("beforeunload", onBeforeUnload);
    };
    window.addEventListener("pagehide", detach.current);
    const detachNow = detach.current;
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("pagehide", detachNow);
      detachNow();
    };
  }, []);

  const stay = useCallback(() => {
    if (blocker.state === "blocked") blocker.reset();
    setShellLink(null);
  }, [blocker]);

  const leave = useCallback(() => {
    onLeave.current?.();
    if (blocker.state === "blocked") {
      blocker.proceed();
      return;
    }
    const link = shellLink;
    setShellLink(null);
    if (!link) return;
    detach.current(); // Airflow's page takes over; its own beforeunload question would be a second one
    replaying.current = true;
    try {
      link.click(); // through Airflow's router, as if the first click had gone through
    } finally {
      replaying.current = false;
    }
  }, [blocker, shellLink]);

  return { open: blocker.state === "blocked" || shellLink !== null, stay, leave };
}
