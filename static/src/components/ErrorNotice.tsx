import { Alert, Button, List, Text } from "@chakra-ui/react";
import { ApiError, isSessionExpired } from "../api/client";
import { errorLines } from "../lib/errorText";
import { InlineMarkdown } from "./InlineMarkdown";

interface ErrorNoticeProps {
  error: unknown;
  /** What failed to load, e.g. "repositories". */
  what: string;
  onRetry?: () => void;
}

/** A failed request, explained where its data would have been. */
export function ErrorNotice({ error, what, onRetry }: ErrorNoticeProps) {
  if (isSessionExpired(error)) {
    // The page-wide SessionExpiredNotice already offers the login link.
    return <Text color="fg.muted">Log in again to see the {what}.</Text>;
  }
  const { message, items: fieldErrors } = errorLines(error instanceof Error ? error.message : String(error), error instanceof ApiError ? [...error.errors] : []);
  const title = error instanceof ApiError && error.status === 403 ? `You may not view the ${what}` : `Could not load the ${what}`;
  return (
    <Alert.Root status="error" alignItems="flex-start">
      <Alert.Indicator />
      <Alert.Content gap="1">
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>
          <InlineMarkdown text={message} />
          {fieldErrors.length > 0 && (
            <List.Root ps="5" mt="1">
              {fieldErrors.map((item, index) => (
                <List.Item key={`${item.path}-${index}`}>
                  {item.path ? <code>{item.path}</code> : null}
                  {item.path ? ": " : null}
                  <InlineMarkdown text={item.message} />
                </List.Item>
              ))}
            </List.Root>
          )}
        </Alert.Description>
      </Alert.Content>
      {onRetry && (
        <Button variant="outline" colorPalette="red" onClick={onRetry} flexShrink={0}>
          Try again
        </Button>
      )}
    </Alert.Root>
  );
}
