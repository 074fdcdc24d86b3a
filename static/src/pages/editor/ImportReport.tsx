import { Button, Code, List, Text } from "@chakra-ui/react";
import { AppDialog } from "../../components/AppDialog";
import type { ValidationIssue } from "../../lib/validationPaths";
import { InlineMarkdown } from "../../components/InlineMarkdown";

export interface ImportReportData {
  fileName: string;
  /** `refused`: nothing was loaded; `warnings`: loaded, with what the conversion left out. */
  kind: "refused" | "warnings";
  summary: string;
  issues: ValidationIssue[];
}

/** What a Domino import could not map (or left out), one line per node or field with its path in the file. */
export function ImportReport({ report, onClose }: { report: ImportReportData | null; onClose: () => void }) {
  const title = report?.kind === "refused" ? `${report.fileName} was not imported` : `Imported ${report?.fileName ?? ""}`;
  return (
    <AppDialog
      open={report !== null}
      onClose={onClose}
      size="lg"
      role={report?.kind === "refused" ? "alertdialog" : "dialog"}
      title={title}
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <Text mb="3">{report?.summary}</Text>
      <List.Root gap="2" aria-label={report?.kind === "refused" ? "Nodes and fields that cannot be mapped" : "Left out by the conversion"}>
        {(report?.issues ?? []).map((issue, index) => (
          <List.Item key={`${issue.path}-${index}`}>
            <Code>{issue.path || "(the whole file)"}</Code> <InlineMarkdown text={issue.message} />
          </List.Item>
        ))}
      </List.Root>
    </AppDialog>
  );
}
