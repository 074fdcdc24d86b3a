import { useCallback } from "react";
import { useSearchParams } from "react-router";

/**
 * A list page's filters and page number in the URL (shareable, kept on reload): `page` is 0-based; changing any other
 * parameter goes back to the first page; an empty value removes the parameter.
 */
export function useListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const page = Math.max(0, Number(searchParams.get("page") ?? "0") || 0);
  const setParam = useCallback(
    (key: string, value: string) =>
      setSearchParams((previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== "page") next.delete("page");
        return next;
      }),
    [setSearchParams],
  );
  return { searchParams, setSearchParams, page, setParam };
}
