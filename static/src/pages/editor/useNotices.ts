import { useCallback, useRef, useState } from "react";

export type NoticeStatus = "info" | "warning" | "error" | "success";
export type Notice = { id: number; message: string; status: NoticeStatus };

/** Notices on the canvas: the last three, each gone after 6 s (an error after 12 s) or when dismissed. */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);
  const notify = useCallback((message: string, status: NoticeStatus = "info") => {
    const id = ++noticeId.current;
    setNotices((n) => [...n.slice(-2), { id, message, status }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), status === "error" ? 12_000 : 6_000);
  }, []);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((x) => x.id !== id)), []);
  return { notices, notify, dismiss };
}
