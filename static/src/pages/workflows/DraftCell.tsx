import { Badge, Text } from "@chakra-ui/react";
import type { RevisionSummary } from "../../api/types";

export interface DraftInfo {
  status: string;
  revision: RevisionSummary | null;
  deployed_revision?: RevisionSummary | null;
  has_draft?: boolean;
}

/** The workflows list's "Draft" cell: only drafts (no DAG), or a draft newer than what Airflow runs. */
export function DraftCell({ workflow }: { workflow: DraftInfo }) {
  if (workflow.status === "draft" || (workflow.has_draft && !workflow.deployed_revision)) {
    return (
      <Badge colorPalette="yellow" variant="solid" data-testid="draft-cell" title="Saved with problems: no DAG, cannot run until a valid revision is saved">
        Draft, no DAG
      </Badge>
    );
  }
  if (workflow.has_draft && workflow.deployed_revision) {
    return (
      <Badge colorPalette="yellow" variant="subtle" data-testid="draft-cell" title="The newest revision is a draft; Airflow runs the deployed one">
        Draft r{workflow.revision?.number ?? "?"} · runs r{workflow.deployed_revision.number}
      </Badge>
    );
  }
  return (
    <Text as="span" color="fg.muted" srOnly>
      No draft
    </Text>
  );
}
