import { Flex, Heading, HStack, Skeleton, Text } from "@chakra-ui/react";
import { useInfo } from "../api/queries";

export function AppHeader() {
  const info = useInfo();
  return (
    <Flex as="header" align="center" justify="space-between" gap="4" px="6" py="3" borderBottomWidth="1px">
      <HStack gap="3" align="baseline">
        <Heading as="h1" size="lg">
          Domino
        </Heading>
        {info.isPending ? (
          <Skeleton height="4" width="48" aria-hidden />
        ) : info.data ? (
          <Text textStyle="sm" color="fg.muted">
            Plugin {info.data.version} · Airflow {info.data.airflow_version}
          </Text>
        ) : null}
      </HStack>
      {info.data ? (
        <Text textStyle="sm" color="fg.muted">
          Signed in as{" "}
          <Text as="span" fontWeight="semibold" color="fg">
            {info.data.user.name}
          </Text>
        </Text>
      ) : null}
    </Flex>
  );
}
