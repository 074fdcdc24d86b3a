import { Button } from "@chakra-ui/react";
import type { ReactNode } from "react";
import { useEditorData } from "./EditorContext";

/** "Add parameter", "Add field", "Add rule"…: under a list, left-aligned; not shown in a read-only workflow. */
export function AddButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  const { readOnly } = useEditorData();
  if (readOnly) return null;
  return (
    <Button size="xs" variant="outline" alignSelf="start" onClick={onClick}>
      {children}
    </Button>
  );
}
