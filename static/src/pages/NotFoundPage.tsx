import { Heading, Link, Stack, Text } from "@chakra-ui/react";
import { Link as RouterLink, useLocation } from "react-router";

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack gap="2">
      <Heading as="h2" size="xl">
        Page not found
      </Heading>
      <Text color="fg.muted">
        Domino has no page at <code>{pathname}</code>.{" "}
        <Link asChild color="brand.fg" textDecoration="underline">
          <RouterLink to="/">Go to the overview</RouterLink>
        </Link>
        .
      </Text>
    </Stack>
  );
}
