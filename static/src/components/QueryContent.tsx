import { HStack, Spinner, Text } from "@chakra-ui/react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorNotice } from "./ErrorNotice";

interface QueryContentProps<T> {
  query: UseQueryResult<T>;
  /** Plural noun for messages: "Loading repositories…". */
  what: string;
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}

/** The loading, error, empty and filled states of one query, always in that order of precedence. */
export function QueryContent<T>({ query, what, isEmpty, empty, children }: QueryContentProps<T>) {
  if (query.isPending) {
    return (
      <HStack role="status" gap="2" color="fg.muted" py="4">
        <Spinner size="sm" />
        <Text>Loading {what}…</Text>
      </HStack>
    );
  }
  if (query.isError) {
    return <ErrorNotice error={query.error} what={what} onRetry={() => void query.refetch()} />;
  }
  return <>{isEmpty(query.data) ? empty : children(query.data)}</>;
}
