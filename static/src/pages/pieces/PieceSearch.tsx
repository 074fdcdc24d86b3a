import { Button, Field, HStack, Input, NativeSelect, SimpleGrid, Stack, Text } from "@chakra-ui/react";
import { useMemo, useState } from "react";
import { useAllCatalogPieces } from "../../api/repositories";
import { QueryContent } from "../../components/QueryContent";
import { PieceCard } from "./PieceCard";
import { ambiguousNames, facets, filterPieces, NO_FILTER, type CatalogFilter } from "./catalogFilter";

const MAX_SHOWN = 60;

/** Search every installed piece by words, repository and tags. */
export function PieceSearch() {
  const pieces = useAllCatalogPieces();
  const [filter, setFilter] = useState<CatalogFilter>(NO_FILTER);
  const all = useMemo(() => pieces.data?.items ?? [], [pieces.data]);
  const found = useMemo(() => filterPieces(all, filter), [all, filter]);
  const options = useMemo(() => facets(all), [all]);
  const ambiguous = useMemo(() => ambiguousNames(all), [all]);
  const toggleTag = (tag: string) =>
    setFilter((previous) => ({ ...previous, tags: previous.tags.includes(tag) ? previous.tags.filter((t) => t !== tag) : [...previous.tags, tag] }));
  const filtered = filter.text !== "" || filter.repository !== "" || filter.tags.length > 0;

  return (
    <QueryContent query={pieces} what="pieces" isEmpty={(data) => data.items.length === 0} empty={<Text color="fg.muted">No pieces installed yet.</Text>}>
      {() => (
        <Stack gap="3">
          <HStack gap="3" align="flex-end" wrap="wrap">
            <Field.Root flex="1" minW="60">
              <Field.Label>Search</Field.Label>
              <Input type="search" placeholder="Name, description or tag" value={filter.text} onChange={(event) => setFilter({ ...filter, text: event.currentTarget.value })} />
            </Field.Root>
            <Field.Root w="64">
              <Field.Label>Repository</Field.Label>
              <NativeSelect.Root>
                <NativeSelect.Field value={filter.repository} onChange={(event) => setFilter({ ...filter, repository: event.currentTarget.value })}>
                  <option value="">All repositories</option>
                  {options.repositories.map(([name, count]) => (
                    <option key={name} value={name}>
                      {name} ({count})
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </Field.Root>
            {filtered && (
              <Button variant="ghost" onClick={() => setFilter(NO_FILTER)}>
                Clear filters
              </Button>
            )}
          </HStack>
          {options.tags.length > 0 && (
            <HStack gap="1.5" wrap="wrap" role="group" aria-label="Filter by tag">
              {options.tags.map(([tag, count]) => {
                const on = filter.tags.includes(tag);
                return (
                  <Button key={tag} size="xs" variant={on ? "solid" : "outline"} aria-pressed={on} onClick={() => toggleTag(tag)}>
                    {tag} ({count})
                  </Button>
                );
              })}
            </HStack>
          )}
          <Text textStyle="sm" color="fg.muted" role="status">
            {found.length === all.length ? `${all.length} piece(s)` : `${found.length} of ${all.length} piece(s) match`}
            {found.length > MAX_SHOWN ? `; the first ${MAX_SHOWN} are shown` : ""}
          </Text>
          {found.length === 0 ? (
            <Text color="fg.muted">No piece matches these filters.</Text>
          ) : (
            <SimpleGrid columns={{ base: 1, md: 2, xl: 3 }} gap="3" as="ul" listStyleType="none" aria-label="Matching pieces">
              {found.slice(0, MAX_SHOWN).map((piece) => (
                <PieceCard key={piece.id} piece={piece} source={ambiguous.has(piece.name) ? "emphasised" : "plain"} />
              ))}
            </SimpleGrid>
          )}
        </Stack>
      )}
    </QueryContent>
  );
}
