import { Box, HStack, Link, Text } from "@chakra-ui/react";
import { Link as RouterLink } from "react-router";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { TagList } from "../../components/TagList";

interface CardPiece {
  id: number;
  name: string;
  description?: string | null;
  tags: readonly string[];
  repository: string;
  version: string;
}

/**
 * One piece in a list: its name (a link to its documentation), description and tags. `source`
 * adds the repository and version — emphasised where another repository ships the same name.
 */
export function PieceCard({ piece, source }: { piece: CardPiece; source?: "plain" | "emphasised" }) {
  return (
    <Box as="li" borderWidth="1px" borderRadius="md" p="3" data-piece={piece.name}>
      <HStack justify="space-between" align="baseline" gap="2">
        <Link asChild fontWeight="semibold" color="brand.fg">
          <RouterLink to={`/pieces/${piece.id}`}>{piece.name}</RouterLink>
        </Link>
        {source ? (
          <Text textStyle="xs" color={source === "emphasised" ? "fg" : "fg.muted"} fontFamily="mono" title="Repository and version">
            {piece.repository} {piece.version}
          </Text>
        ) : null}
      </HStack>
      <Text textStyle="sm" color="fg.muted" lineClamp={2}>
        {piece.description ? <InlineMarkdown text={piece.description} /> : "No description."}
      </Text>
      <TagList tags={piece.tags} />
    </Box>
  );
}
