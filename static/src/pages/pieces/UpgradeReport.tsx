import { Badge, Box, Field, HStack, List, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { useUpgradeReport, type SchemaChanges } from "../../api/repositories";
import type { Repository } from "../../api/types";
import { QueryContent } from "../../components/QueryContent";

function Changes({ title, changes }: { title: string; changes?: SchemaChanges }) {
  if (!changes) return null;
  const lines = [
    ...(changes.added ?? []).map((name) => `added ${name}`),
    ...(changes.removed ?? []).map((name) => `removed ${name}`),
    ...(changes.retyped ?? []).map((item) => `${item.name}: ${item.from} → ${item.to}`),
    ...(changes.newly_required ?? []).map((name) => `${name} is now required`),
  ];
  if (lines.length === 0) return null;
  return (
    <Box>
      <Text textStyle="sm" fontWeight="medium">
        {title}
      </Text>
      <List.Root ps="5" textStyle="sm">
        {lines.map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List.Root>
    </Box>
  );
}

/** What changes between two installed versions of one repository, and which workflows it affects. */
export function UpgradeReport({ from, versions }: { from: Repository; versions: Repository[] }) {
  const others = versions.filter((repository) => repository.id !== from.id);
  const [to, setTo] = useState(others[0]?.version ?? "");
  const report = useUpgradeReport(from.id, to);
  if (others.length === 0) return <Text color="fg.muted">Only one version of {from.name} is installed: install another to compare.</Text>;
  return (
    <Stack gap="3">
      <Field.Root maxW="sm">
        <Field.Label>
          Compare {from.name} {from.version} with
        </Field.Label>
        <NativeSelect.Root>
          <NativeSelect.Field value={to} onChange={(event) => setTo(event.currentTarget.value)}>
            {others.map((repository) => (
              <option key={repository.id} value={repository.version}>
                {repository.version}
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Field.Root>
      <QueryContent query={report} what="upgrade report" isEmpty={() => false} empty={null}>
        {(data) => (
          <Stack gap="3" aria-label="Upgrade report">
            <HStack>
              <Badge colorPalette={data.breaking ? "red" : "green"} size="md">
                {data.breaking ? "Breaking changes" : "No breaking changes"}
              </Badge>
            </HStack>
            {data.pieces_added.length > 0 && <Text textStyle="sm">Pieces added: {data.pieces_added.join(", ")}</Text>}
            {data.pieces_removed.length > 0 && <Text textStyle="sm">Pieces removed: {data.pieces_removed.join(", ")}</Text>}
            {data.pieces_changed.map((change) => (
              <Box key={change.piece} borderWidth="1px" borderRadius="md" p="3">
                <Text fontWeight="semibold">{change.piece}</Text>
                <Changes title="Inputs" changes={change.inputs} />
                <Changes title="Outputs" changes={change.outputs} />
                <Changes title="Secrets" changes={change.secrets} />
              </Box>
            ))}
            {data.pieces_added.length + data.pieces_removed.length + data.pieces_changed.length === 0 && <Text color="fg.muted">The pieces are the same in both versions.</Text>}
            <Text textStyle="sm">
              {data.workflows_using_from_version.length > 0
                ? `Workflows using ${from.version}: ${data.workflows_using_from_version.join(", ")}`
                : `No workflow uses ${from.version}.`}
            </Text>
          </Stack>
        )}
      </QueryContent>
    </Stack>
  );
}
