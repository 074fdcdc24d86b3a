import { Alert, List } from "@chakra-ui/react";
import { ApiError } from "../api/client";
import { errorLines } from "../lib/errorText";
import { InlineMarkdown } from "./InlineMarkdown";

/** The reason a change was refused, shown where the change was attempted. */
export function ActionError({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  const raw = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error);
  const { message, items: errors } = errorLines(raw, error instanceof ApiError ? [...error.errors] : []);
  const forbidden = error instanceof ApiError && error.status === 403 && !error.isSessionExpired;
  return (
    <Alert.Root status="error" role="alert" alignItems="flex-start">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>
          <InlineMarkdown text={forbidden ? `Your Airflow role does not allow this (${message}).` : message} />
          {errors.length > 0 && (
            <List.Root ps="5" mt="1">
              {errors.map((item, index) => (
                <List.Item key={index}>
                  {item.path ? <code>{item.path}: </code> : null}
                  <InlineMarkdown text={item.message} />
                </List.Item>
              ))}
            </List.Root>
          )}
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
