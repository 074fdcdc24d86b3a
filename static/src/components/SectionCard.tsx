import { Card, Heading, HStack, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";

interface SectionCardProps {
  /** Used for the heading's id, so tables inside can be labelled by it. */
  id: string;
  title: string;
  /** Short note at the right of the title, e.g. "12 of 80". */
  aside?: ReactNode;
  children: ReactNode;
}

export function SectionCard({ id, title, aside, children }: SectionCardProps) {
  return (
    <Card.Root as="section" aria-labelledby={id} variant="outline" size="sm">
      <Card.Header>
        <HStack justify="space-between" align="baseline">
          <Heading as="h2" size="md" id={id}>
            {title}
          </Heading>
          {aside ? (
            <Text textStyle="sm" color="fg.muted">
              {aside}
            </Text>
          ) : null}
        </HStack>
      </Card.Header>
      <Card.Body>{children}</Card.Body>
    </Card.Root>
  );
}
