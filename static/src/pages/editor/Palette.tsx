import { Box, Input, Popover, Portal, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { useMemo, useState, type DragEvent, type ReactNode } from "react";
import { usePiece, type PieceSummary } from "../../api/pieces";
import { describeType, type JsonSchema } from "../../lib/typeCompat";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { CollapsibleAside } from "../../components/CollapsibleAside";
import { useRenderedLater } from "../../components/useRenderedLater";
import { PIECE_MIME } from "./Canvas";
import "./palette.css";
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
  const [docs, setDocs] = useState<OpenDocs | null>(null);
  // The entries come right after the canvas (components/useRenderedLater.ts).
  const entriesShown = useRenderedLater();

  return (
    <CollapsibleAside label="Pieces" side="start" width="240px" openFrom={PALETTE_OPEN_FROM} bg="bg.subtle">
      <Box p="2" pe="8" borderBottomWidth="1px">
        <Input size="sm" placeholder="Search pieces" aria-label="Search pieces" value={search} onChange={(e) => setSearch(e.currentTarget.value)} bg="bg" />
        <Text textStyle="xs" color="fg.muted" mt="1">
          Drag a piece onto the canvas.
        </Text>
      </Box>
      <Box overflowY="auto" flex="1" p="2">
        {!entriesShown ? null : <StepEntries onAdd={onAdd} />}
        {!entriesShown ? null : pieces.length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            No pieces installed. Install a repository on the Pieces page.
          </Text>
        ) : groups.length === 0 ? (
          <Text textStyle="sm" color="fg.muted">
            No piece matches “{search}”.
          </Text>
        ) : (
          groups.map(([repo, items]) => (
            <section key={repo} aria-label={repo} className="dp-group">
              <h3 className="dp-group-title">{repo}</h3>
              <ul className="dp-list">
                {items.map((p) => (
                  <PaletteItem
                    key={p.id}
                    piece={p}
                    onAdd={onAdd}
                    ambiguous={(nameCounts.get(p.name) ?? 0) > 1}
                    docsOpen={docs?.piece.id === p.id}
                    onDocs={setDocs}
                  />
                ))}
              </ul>
            </section>
          ))
        )}
      </Box>
      {docs ? (
        // A popover closing as another piece's opens (a click outside it) leaves the other one open.
        <PieceDocs key={docs.piece.id} docs={docs} onClose={() => setDocs((open) => (open?.piece.id === docs.piece.id ? null : open))} />
      ) : null}
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
  tags,
}: {
  /** What the canvas receives on drop (a piece reference). */
  dragged: PieceRef;
  title: string;
  addLabel: string;
  onAdd: () => void;
  testId: string;
  /** A thick start border in the colour of steps or of sub-workflows. */
  accent?: "step" | "workflow";
  actions?: ReactNode;
  /** Under the title (where a piece comes from). */
  subtitle?: ReactNode;
  description: string;
  tags?: readonly string[];
}) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PIECE_MIME, JSON.stringify(dragged));
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <li className="dp-entry" draggable onDragStart={onDragStart} data-testid={testId} data-accent={accent}>
      <div className="dp-head">
        <span className="dp-title" title={title}>
          {title}
        </span>
        <span className="dp-actions">
          {actions}
          <button type="button" className="dp-button" aria-label={addLabel} onClick={onAdd}>
            +
          </button>
        </span>
      </div>
      {subtitle}
      {description ? (
        <p className="dp-description">
          <InlineMarkdown text={description} />
        </p>
      ) : null}
      {tags?.length ? (
        <ul className="dp-tags" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} className="dp-tag">
              {tag}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Which piece's documentation is open, and the "?" button it opened from (the popover's anchor). */
interface OpenDocs {
  piece: PieceSummary;
  anchor: HTMLElement;
}

function PaletteItem({
  piece,
  onAdd,
  ambiguous,
  docsOpen,
  onDocs,
}: {
  piece: PieceSummary;
  onAdd: (p: PieceSummary) => void;
  ambiguous: boolean;
  docsOpen: boolean;
  onDocs: (docs: OpenDocs | null) => void;
}) {
  return (
    <PaletteEntry
      dragged={{ repository: piece.repository, version: piece.version, name: piece.name }}
      title={piece.name}
      addLabel={`Add ${piece.name} to the workflow`}
      onAdd={() => onAdd(piece)}
      testId={`palette-piece-${piece.name}`}
      actions={
        <button
          type="button"
          className="dp-button"
          aria-label={`Documentation of ${piece.name}`}
          aria-haspopup="dialog"
          aria-expanded={docsOpen}
          onClick={(e) => onDocs(docsOpen ? null : { piece, anchor: e.currentTarget })}
        >
          ?
        </button>
      }
      subtitle={
        ambiguous ? (
          <div className="dp-source" data-testid="palette-piece-source">
            {piece.repository} {piece.version}
          </div>
        ) : null
      }
      description={piece.description}
      tags={piece.tags}
    />
  );
}

/**
 * One popover for the palette, anchored at the "?" it was opened from: a popover per piece (each its
 * own state machine) made up most of the palette's first render.
 */
function PieceDocs({ docs, onClose }: { docs: OpenDocs; onClose: () => void }) {
  const { piece, anchor } = docs;
  return (
    <Popover.Root
      open
      onOpenChange={(e) => (e.open ? undefined : onClose())}
      positioning={{ placement: "right-start", getAnchorElement: () => anchor }}
      finalFocusEl={() => anchor}
      // A click on the "?" that opened it is the button's to handle (it closes the popover).
      onInteractOutside={(e) => {
        if (anchor.contains(e.target as Node | null)) e.preventDefault();
      }}
    >
      <Portal>
        <Popover.Positioner>
          <Popover.Content w="md" maxH="70vh" overflowY="auto" data-testid="piece-docs">
            <Popover.Arrow />
            <Popover.Body>
              <Popover.Title fontWeight="semibold">{piece.name}</Popover.Title>
              <Text textStyle="xs" color="fg.muted">
                {piece.repository} {piece.version}
              </Text>
              <PieceDocsBody id={piece.id} description={piece.description} />
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
    <section aria-label="Steps" className="dp-group">
      <h3 className="dp-group-title">Steps</h3>
      <ul className="dp-list">
        {STEP_KINDS.map((kind) => (
          <PaletteEntry
            key={kind}
            dragged={stepRef(kind)}
            title={KIND_WORDS[kind]}
            addLabel={`Add ${KIND_WORDS[kind].toLowerCase()} step to the workflow`}
            onAdd={() => onAdd(stepSummary(kind))}
            testId={`palette-step-${kind}`}
            accent={kind === "workflow" ? "workflow" : "step"}
            description={KIND_HELP[kind]}
          />
        ))}
      </ul>
    </section>
  );
}
