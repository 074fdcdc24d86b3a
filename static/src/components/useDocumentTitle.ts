import { useEffect } from "react";

/** Sets the browser tab's title to "<title> · Domino" while the page is shown. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    if (!title) return;
    const previous = document.title;
    document.title = `${title} · Domino`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
