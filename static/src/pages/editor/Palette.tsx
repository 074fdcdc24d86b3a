import { Box, Button, HStack, Input, Popover, Portal, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { useMemo, useState, type DragEvent, type ReactNode } from "react";
import { usePiece, type PieceSummary } from "../../api/pieces";
import { describeType, type JsonSchema } from "../../lib/typeCompat";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { CollapsibleAside } from "../../components/CollapsibleAside";
import { TagList } from "../../components/TagList";
import { PIECE_MIME } from "./Canvas";
import { KIND_HELP, KIND_WORDS, STEP_KINDS, stepRef, type StepKind } from "../../lib/steps";
import type { PieceRef } from "../../lib/workflowDoc";

/** Below this window width the palette starts folded, leaving the canvas room (it opens with one click). */
export const PALETTE_OPEN_FROM = 1200;

function matches(piece: PieceSummary, words: string[]): boolean {
  const haystack = `${piece.name} ${piece.description} ${piece.tags.join(" ")}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

interface PaletteProps {
  pieces: readonly PieceSummary[];
  /** Keyboard alternative to dragging: adds the piece in the middle of the view. */
  onAdd: (piece: PieceSummary) => void;
}

export function Palette({ pieces, onAdd }: PaletteProps) {
  const [search, setSearch] = useState("");
  const groups = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    const byRepo = new Map<string, PieceSummary[]>();
    for (const p of pieces) {
      if (!matches(p, words)) continue;
      const key = `${p.repository} ${p.version}`;
      byRepo.set(key, [...(byRepo.get(key) ?? []), p]);
    }
    return [...byRepo.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [pieces, search]);
  const nameCounts = useMemo(() => countNames(pieces), [pieces]);

  return (
    <CollapsibleAside label="Pieces" side="start" width="240px" openFrom={PALETTE_OPEN_FROM} bg="bg.subtle">
      <Box p="2" pe="8" borderBottomWidth="1px">
        <Input size="sm" placeholder="Search pieces" aria-label="Search pieces" value={search} onChange={(e) => setSearch(e.currentTarget.value)} bg="bg" />
        <Text textStyle="xs" color="fg.muted" mt="1">
          Drag a piece onto the canvas.
        </Text>
      </Box>
      <Box overflowY="auto" flex="1" p="2">
        <StepEntries onAdd={onAdd} />
        {pieces.length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            No pieces installed. Install a repository on the Pieces page.
          </Text>
        ) : groups.length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            No piece matches “{search}”.
          </Text>
        ) : (
          groups.map(([repo, items]) => (
            <Box key={repo} as="section" aria-label={repo} mb="3">
              <Text textStyle="xs" fontWeight="semibold" color="fg.muted" textTransform="uppercase" mb="1">
                {repo}
              </Text>
              <Stack gap="1" as="ul" listStyleType="none">
                {items.map((p) => (
                  <PaletteItem key={p.id} piece={p} onAdd={onAdd} ambiguous={(nameCounts.get(p.name) ?? 0) > 1} />
                ))}
              </Stack>
            </Box>
          ))
        )}
      </Box>
    </CollapsibleAside>
  );
}

/** How many installed repository versions ship each piece name. */
export function countNames(pieces: readonly PieceSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pieces) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  return counts;
}

/** A palette card, dragged onto the canvas (or added with +): a piece or a step. */
function PaletteEntry({
  dragged,
  title,
  addLabel,
  onAdd,
  testId,
  accent,
  actions,
  subtitle,
  description,
  children,
}: {
  /** What the canvas receives on drop (a piece reference). */
  dragged: PieceRef;
  title: string;
  addLabel: string;
  onAdd: () => void;
  testId: string;
  /** Colour of a thick start border (steps). */
  accent?: string;
  actions?: ReactNode;
  /** Under the title (where a piece comes from). */
  subtitle?: ReactNode;
  description: string;
  /** Under the description (tags). */
  children?: ReactNode;
}) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PIECE_MIME, JSON.stringify(dragged));
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <Box
      as="li"
      draggable
      onDragStart={onDragStart}
      data-testid={testId}
      borderWidth="1px"
      borderStartWidth={accent ? "4px" : undefined}
      borderStartColor={accent}
      rounded="md"
      bg="bg.panel"
      px="2"
      py="1.5"
      cursor="grab"
      _hover={{ borderColor: "brand.solid" }}
    >
      <HStack justify="space-between" gap="1">
        <Text textStyle="sm" fontWeight="medium" lineClamp={1} title={title}>
          {title}
        </Text>
        <HStack gap="0.5">
          {actions}
          <Button size="2xs" variant="ghost" aria-label={addLabel} onClick={onAdd}>
            +
          </Button>
        </HStack>
      </HStack>
      {subtitle}
      {description ? (
        <Text textStyle="xs" color="fg.muted" lineClamp={2}>
          <InlineMarkdown text={description} />
        </Text>
      ) : null}
      {children}
    </Box>
  );
}

function PaletteItem({ piece, onAdd, ambiguous }: { piece: PieceSummary; onAdd: (p: PieceSummary) => void; ambiguous: boolean }) {
  return (
    <PaletteEntry
      dragged={{ repository: piece.repository, version: piece.version, name: piece.name }}
      title={piece.name}
      addLabel={`Add ${piece.name} to the workflow`}
      onAdd={() => onAdd(piece)}
      testId={`palette-piece-${piece.name}`}
      actions={<PieceDocs piece={piece} />}
      subtitle={
        ambiguous ? (
          <Text textStyle="2xs" fontFamily="mono" color="fg.muted" data-testid="palette-piece-source">
            {piece.repository} {piece.version}
          </Text>
        ) : null
      }
      description={piece.description}
    >
      <TagList tags={piece.tags} variant="subtle" />
    </PaletteEntry>
  );
}

function PieceDocs({ piece }: { piece: PieceSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root open={open} onOpenChange={(e) => setOpen(e.open)} positioning={{ placement: "right-start" }} lazyMount>
      <Popover.Trigger asChild>
        <Button size="2xs" variant="ghost" aria-label={`Documentation of ${piece.name}`}>
          ?
        </Button>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content w="md" maxH="70vh" overflowY="auto">
            <Popover.Arrow />
            <Popover.Body>
              <Popover.Title fontWeight="semibold">{piece.name}</Popover.Title>
              <Text textStyle="xs" color="fg.muted">
                {piece.repository} {piece.version}
              </Text>
              {open ? <PieceDocsBody id={piece.id} description={piece.description} /> : null}
            </Popover.Body>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
}

function PieceDocsBody({ id, description }: { id: number; description: string }) {
  const detail = usePiece(id);
  return (
    <Stack gap="2" mt="2">
      {description ? (
        <Text textStyle="sm">
          <InlineMarkdown text={description} />
        </Text>
      ) : null}
      {detail.isPending ? (
        <Spinner size="sm" />
      ) : detail.isError ? (
        <Text color="fg.error">
          <InlineMarkdown text={detail.error.message} />
        </Text>
      ) : (
        <>
          <SchemaTable title="Inputs" schema={detail.data.input_schema} />
          <SchemaTable title="Outputs" schema={detail.data.output_schema} />
          {detail.data.dynamic_output_inputs?.length ? (
            <Text textStyle="xs" color="fg.muted" data-testid="declared-outputs-note">
              Plus the outputs each task declares in {detail.data.dynamic_output_inputs.map((n) => `“${n}”`).join(", ")}.
            </Text>
          ) : null}
          <SchemaTable title="Secrets" schema={detail.data.secrets_schema} />
          {detail.data.source_url ? (
            <Text textStyle="xs" color="fg.muted">
              Source: {detail.data.source_url}
            </Text>
          ) : null}
        </>
      )}
    </Stack>
  );
}

/** Inputs/outputs/secrets of a piece: name, type, default, description. */
export function SchemaTable({ title, schema }: { title: string; schema: JsonSchema }) {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const names = Object.keys(props);
  return (
    <Box>
      <Text textStyle="sm" fontWeight="semibold">
        {title}
      </Text>
      {names.length === 0 ? (
        <Text textStyle="xs" color="fg.muted">
          None
        </Text>
      ) : (
        <Table.Root size="sm" variant="outline">
          <Table.Body>
            {names.map((name) => {
              const prop = props[name]!;
              return (
                <Table.Row key={name}>
                  <Table.Cell verticalAlign="top">
                    <code>{name}</code>
                    {required.has(name) ? (
                      <Text as="span" color="fg.error" aria-label="required">
                        {" "}*
                      </Text>
                    ) : null}
                  </Table.Cell>
                  <Table.Cell verticalAlign="top">
                    <Text textStyle="xs">{describeType(prop, schema)}</Text>
                    {"default" in prop ? <Text textStyle="xs" color="fg.muted">default {JSON.stringify(prop.default)}</Text> : null}
                  </Table.Cell>
                  <Table.Cell verticalAlign="top">
                    <Text textStyle="xs">{typeof prop.description === "string" ? <InlineMarkdown text={prop.description} /> : ""}</Text>
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      )}
    </Box>
  );
}

/** What `onAdd` receives for a step entry: its synthetic reference as a summary (no piece id). */
export function stepSummary(kind: StepKind): PieceSummary {
  return { ...stepRef(kind), id: -1, repository_id: -1, description: KIND_HELP[kind], tags: [], style: {} };
}

/** Approval, input and sub-workflow entries: dragged (or added with +) like pieces. */
function StepEntries({ onAdd }: { onAdd: (piece: PieceSummary) => void }) {
  return (
    <Box as="section" aria-label="Steps" mb="3">
      <Text textStyle="xs" fontWeight="semibold" color="fg.muted" textTransform="uppercase" mb="1">
        Steps
      </Text>
      <Stack gap="1" as="ul" listStyleType="none">
        {STEP_KINDS.map((kind) => (
          <PaletteEntry
            key={kind}
            dragged={stepRef(kind)}
            title={KIND_WORDS[kind]}
            addLabel={`Add ${KIND_WORDS[kind].toLowerCase()} step to the workflow`}
            onAdd={() => onAdd(stepSummary(kind))}
            testId={`palette-step-${kind}`}
            accent={kind === "workflow" ? "purple.solid" : "orange.solid"}
            description={KIND_HELP[kind]}
          />
        ))}
      </Stack>
    </Box>
  );
}
