import { Box } from "@chakra-ui/react";

interface JsonViewProps {
  value: unknown;
  label: string;
  maxH?: string;
}

/** Pretty-printed JSON in a scrollable, focusable block (so keyboard users can scroll it). */
export function JsonView({ value, label, maxH = "420px" }: JsonViewProps) {
  const text = value === undefined ? "" : JSON.stringify(value, null, 2);
  return (
    <Box
      as="pre"
      role="region"
      aria-label={label}
      tabIndex={0}
      fontFamily="mono"
      fontSize="xs"
      lineHeight="1.5"
      bg="bg.subtle"
      borderWidth="1px"
      borderRadius="md"
      p="3"
      maxH={maxH}
      overflow="auto"
      whiteSpace="pre-wrap"
      wordBreak="break-word"
    >
      {text}
    </Box>
  );
}
