import { Alert, Button } from "@chakra-ui/react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useInfo } from "../../api/queries";
import { RunDialog } from "../workflows/RunDialog";

interface EditorRunButtonProps {
  workflowId: string | null;
  /** The editor has changes that are not saved: the run uses the deployed revision, not them. */
  dirty: boolean;
  deployedRevision: { number: number } | null;
}

/** "Run" in the editor's header: triggers the saved (deployed) workflow with the run-parameter form. */
export function EditorRunButton({ workflowId, dirty, deployedRevision }: EditorRunButtonProps) {
  const info = useInfo();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  if (!workflowId) return null;
  const canRun = info.data?.permissions.run_workflows === true;
  const why = !canRun
    ? "Your Airflow role does not allow running this workflow"
    : !deployedRevision
      ? "No revision is deployed yet: save a valid revision first"
      : dirty
        ? `Runs the saved revision ${deployedRevision.number}: your unsaved changes are not part of the run`
        : `Run revision ${deployedRevision.number} now`;
  return (
    <>
      <Button size="sm" variant="outline" disabled={!canRun || !deployedRevision} title={why} onClick={() => setOpen(true)}>
        Run…
      </Button>
      {open ? (
        <RunDialog
          workflowId={workflowId}
          open={open}
          onClose={() => setOpen(false)}
          onStarted={(run) => {
            setOpen(false);
            void navigate(`/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(run.run_id)}`);
          }}
          notice={
            dirty && deployedRevision ? (
              <Alert.Root status="warning" data-testid="run-unsaved-notice">
                <Alert.Indicator />
                <Alert.Description>
                  You have unsaved changes: this run uses the saved revision {deployedRevision.number}. Save first to run your changes.
                </Alert.Description>
              </Alert.Root>
            ) : null
          }
        />
      ) : null}
    </>
  );
}
