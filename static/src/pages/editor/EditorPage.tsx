import { Heading, HStack, Link as ChakraLink, Spinner, Stack, Text } from "@chakra-ui/react";
import { ReactFlowProvider } from "@xyflow/react";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useAllPieces, usePieceDetailsPending } from "../../api/pieces";
import { useInfo } from "../../api/queries";
import { useWorkflow } from "../../api/workflows";
import { ErrorNotice } from "../../components/ErrorNotice";
import { coerceDocument, emptyWorkflow } from "../../lib/workflowDoc";
import { Editor } from "./Editor";

function Loading({ what }: { what: string }) {
  return (
    <HStack role="status" gap="2" color="fg.muted" py="4">
      <Spinner size="sm" />
      <Text>Loading {what}…</Text>
    </HStack>
  );
}

/** `/workflows/new` and `/workflows/:workflowId/edit`. */
export function EditorPage() {
  const { workflowId } = useParams();
  const navigate = useNavigate();
  // After "Create", the URL moves to the new id's edit page; the editor that created it stays.
  const [createdHere, setCreatedHere] = useState<string | null>(null);
  const keepMounted = createdHere !== null && createdHere === workflowId;
  const info = useInfo();
  const pieces = useAllPieces();
  const workflow = useWorkflow(workflowId !== undefined && !keepMounted ? workflowId : undefined);
  const stored = useMemo(() => (workflowId && workflow.data ? coerceDocument(workflow.data.document) : null), [workflowId, workflow.data]);
  // The details of the pieces it uses are fetched as soon as it is here, and the editor opens once they are.
  const storedRefs = useMemo(() => stored?.tasks.flatMap((t) => (t.piece ? [t.piece] : [])) ?? [], [stored]);
  const detailsPending = usePieceDetailsPending(storedRefs, pieces.data);

  const canEdit = info.data?.permissions.edit_workflows === true;
  const title = workflowId ? `Edit ${workflow.data?.name ?? workflowId}` : "New workflow";

  let body;
  if (info.isPending || pieces.isPending || (workflowId && !keepMounted && workflow.isPending) || detailsPending) {
    body = <Loading what={workflowId && workflow.isPending ? "the workflow" : "the pieces"} />;
  } else if (info.isError) {
    body = <ErrorNotice error={info.error} what="permissions" onRetry={() => void info.refetch()} />;
  } else if (pieces.isError) {
    body = <ErrorNotice error={pieces.error} what="pieces" onRetry={() => void pieces.refetch()} />;
  } else if (workflowId && !keepMounted && workflow.isError) {
    body = <ErrorNotice error={workflow.error} what="workflow" onRetry={() => void workflow.refetch()} />;
  } else if (!workflowId && !canEdit) {
    body = <Text>Your Airflow role does not allow creating workflows.</Text>;
  } else {
    const loaded = stored ?? emptyWorkflow();
    body = (
      <ReactFlowProvider>
        <Editor
          key={keepMounted ? "new" : (workflowId ?? "new")}
          initialDoc={loaded}
          initialSession={{
            workflowId: workflowId && workflow.data ? workflow.data.id : null,
            baseRevision: workflow.data?.revision ?? null,
            savedDoc: loaded,
            deployedRevision: workflow.data?.deployed_revision ?? null,
          }}
          catalog={pieces.data}
          readOnly={!canEdit}
          onCreated={(id) => {
            setCreatedHere(id);
            void navigate(`/workflows/${encodeURIComponent(id)}/edit`, { replace: true });
          }}
        />
      </ReactFlowProvider>
    );
  }

  return (
    <Stack gap="3">
      <HStack justify="space-between">
        <Heading as="h2" size="lg">
          {title}
        </Heading>
        <HStack gap="3">
          {workflowId ? (
            <ChakraLink asChild textStyle="sm">
              <Link to={`/workflows/${encodeURIComponent(workflowId)}/runs`}>Runs</Link>
            </ChakraLink>
          ) : null}
          <ChakraLink asChild textStyle="sm">
            <Link to="/workflows">All workflows</Link>
          </ChakraLink>
        </HStack>
      </HStack>
      {body}
    </Stack>
  );
}
