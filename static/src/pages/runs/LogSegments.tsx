import { Box, Text } from "@chakra-ui/react";
import type { LogSegment } from "./logLines";

/** A log cut into segments: the piece's own output in a marked block, Airflow's lines muted around it (run page and node tests). */
export function LogSegments({ segments }: { segments: readonly LogSegment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.kind === "piece" ? (
          <Box
            key={index}
            as="section"
            aria-label={`Output of piece ${segment.piece ?? ""}`}
            data-log-block="piece"
            my="2"
            borderStartWidth="4px"
            borderColor="brand.solid"
            bg="bg.panel"
            borderRadius="sm"
          >
            <Text px="2" py="1" fontFamily="body" textStyle="xs" fontWeight="semibold" color="brand.fg" bg="brand.subtle">
              Piece {segment.piece} output{segment.open ? " (running…)" : ""}
            </Text>
            <Box as="pre" px="2" py="1" whiteSpace="pre-wrap" wordBreak="break-word" m="0">
              {segment.lines.join("\n") || " "}
            </Box>
          </Box>
        ) : (
          <Box key={index} as="pre" whiteSpace="pre-wrap" wordBreak="break-word" color="fg.muted" m="0" data-log-block="airflow">
            {segment.lines.join("\n")}
          </Box>
        ),
      )}
    </>
  );
}
