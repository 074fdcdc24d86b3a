import { Heading, Stack, Text } from "@chakra-ui/react";

export function ComingSoonPage({ title }: { title: string }) {
  return (
    <Stack gap="2">
      <Heading as="h2" size="xl">
        {title}
      </Heading>
      <Text color="fg.muted">The {title} page is coming in a later release.</Text>
    </Stack>
  );
}
