import { Alert, Badge, Button, HStack } from "@chakra-ui/react";
import type { RevisionSummary } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import type { AutosaveEntry } from "./useAutosave";

/** In the editor's header: the revision open is a draft, and what Airflow runs meanwhile. */
export function DraftBadge({ revision, deployed }: { revision: RevisionSummary | null; deployed: RevisionSummary | null }) {
  if (!revision?.draft) return null;
  return (
    <Badge colorPalette="yellow" variant="solid" data-testid="draft-badge" title="Saved with problems: kept and editable, but not deployed as a DAG">
      Draft · {deployed ? `Airflow runs revision ${deployed.number}` : "no DAG yet"}
    </Badge>
  );
}

/** Offered when the editor opens and this browser kept changes that were never saved. */
export function AutosaveOffer({
  offer,
  currentRevisionNumber,
  onRestore,
  onDiscard,
}: {
  offer: AutosaveEntry | null;
  currentRevisionNumber: number | null;
  onRestore: () => void;
  onDiscard: () => void;
}) {
  if (!offer) return null;
  const when = offer.savedAt ? ` from ${formatDateTime(offer.savedAt)}` : "";
  const older =
    offer.baseRevisionNumber !== null && currentRevisionNumber !== null && offer.baseRevisionNumber !== currentRevisionNumber
      ? ` They were made on revision ${offer.baseRevisionNumber}; the workflow is now at revision ${currentRevisionNumber}, so restoring replaces what changed since.`
      : "";
  return (
    <Alert.Root status="info" borderRadius="0" borderBottomWidth="1px" data-testid="autosave-offer">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Description>
          This browser kept unsaved changes{when}.{older}
        </Alert.Description>
      </Alert.Content>
      <HStack gap="2" ms="auto">
        <Button size="xs" onClick={onRestore}>
          Restore unsaved changes
        </Button>
        <Button size="xs" variant="outline" onClick={onDiscard}>
          Discard them
        </Button>
      </HStack>
    </Alert.Root>
  );
}
