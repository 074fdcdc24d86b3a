import { Badge, HStack } from "@chakra-ui/react";

/** A row of small tag badges (pieces, workflows); nothing when there are none. */
export function TagList({ tags, variant = "outline" }: { tags: readonly string[]; variant?: "outline" | "subtle" }) {
  if (tags.length === 0) return null;
  return (
    <HStack gap="1" mt="1" wrap="wrap">
      {tags.map((tag) => (
        <Badge key={tag} size="xs" variant={variant}>
          {tag}
        </Badge>
      ))}
    </HStack>
  );
}
