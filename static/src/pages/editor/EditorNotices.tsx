import { Alert, Box, CloseButton } from "@chakra-ui/react";
import type { Notice } from "./useNotices";
import { InlineMarkdown } from "../../components/InlineMarkdown";

/** The notices over the canvas (useNotices), newest last; an error is announced as an alert. */
export function EditorNotices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  return (
    <Box position="absolute" top="2" left="2" right="2" zIndex="10" display="flex" flexDirection="column" gap="2" pointerEvents="none">
      {notices.map((n) => (
        <Alert.Root key={n.id} status={n.status} role={n.status === "error" ? "alert" : "status"} pointerEvents="auto" shadow="md" data-testid="editor-notice">
          <Alert.Indicator />
          <Alert.Description>
            <InlineMarkdown text={n.message} />
          </Alert.Description>
          <CloseButton size="xs" ms="auto" aria-label="Dismiss" onClick={() => onDismiss(n.id)} />
        </Alert.Root>
      ))}
    </Box>
  );
}
