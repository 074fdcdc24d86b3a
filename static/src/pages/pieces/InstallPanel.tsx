import { Badge, Box, Button, Field, HStack, Input, List, NativeSelect, Progress, Stack, Text } from "@chakra-ui/react";
import { useState, type FormEvent } from "react";
import { useAvailableVersions, useInstallJob, useStartInstall, type InstallJob, type InstallProblem, type SourceType } from "../../api/repositories";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ActionError } from "../../components/ActionError";
import { InlineMarkdown } from "../../components/InlineMarkdown";
import { DataTable, SMALL, type DataColumn } from "../../components/DataTable";

const SOURCES: Record<SourceType, { label: string; field: string; placeholder: string; help: string }> = {
  github: { label: "GitHub", field: "Repository (owner/name)", placeholder: "Tauffer-Consulting/default_domino_pieces", help: "A public GitHub repository." },
  git: { label: "Git URL", field: "Git URL", placeholder: "https://git.example.org/team/pieces.git", help: "Any git URL the Airflow API server can clone." },
  local: { label: "Local path", field: "Folder on the Airflow API server", placeholder: "/opt/pieces/my_repository", help: "A folder readable by the API server, in the Domino repository layout." },
};

type Problem = InstallProblem & { index: number };
const MONO = { fontFamily: "mono", textStyle: "xs" } as const;
const PROBLEM_COLUMNS: DataColumn<Problem>[] = [
  { key: "file", header: "File", cellProps: MONO, cell: (p) => p.file || "—" },
  { key: "field", header: "Field", cellProps: MONO, cell: (p) => p.field || "—" },
  { key: "message", header: "Problem", cellProps: SMALL, cell: (p) => <InlineMarkdown text={p.message} /> },
];

const STATE_PALETTE: Record<InstallJob["state"], string> = { queued: "gray", running: "cyan", succeeded: "green", failed: "red" };

export function InstallProgress({ job }: { job: InstallJob }) {
  const problems = job.log.flatMap((entry) => entry.problems ?? []);
  const messages = job.log.filter((entry) => entry.message);
  const done = job.state === "succeeded" || job.state === "failed";
  return (
    <Stack gap="3" borderWidth="1px" borderRadius="md" p="4" data-install-state={job.state} aria-live="polite">
      <HStack justify="space-between" wrap="wrap">
        <Text fontWeight="semibold">
          {job.source_url}
          {job.version ? ` @ ${job.version}` : ""}
        </Text>
        <Badge colorPalette={STATE_PALETTE[job.state]} size="md">
          {job.state === "succeeded" ? "Installed" : job.state === "failed" ? "Failed" : job.state === "queued" ? "Queued" : "Installing"}
        </Badge>
      </HStack>
      <Progress.Root value={job.progress} max={100} colorPalette={STATE_PALETTE[job.state]} striped={!done} animated={!done} size="md">
        <HStack justify="space-between" mb="1">
          <Progress.Label textStyle="sm">{job.step || "Waiting to start"}</Progress.Label>
          <Progress.ValueText textStyle="sm">{job.progress}%</Progress.ValueText>
        </HStack>
        <Progress.Track>
          <Progress.Range />
        </Progress.Track>
      </Progress.Root>
      {job.state === "failed" && (
        <ActionError error={new Error(job.error || "The installation failed; see the log below.")} title="The repository was not installed" />
      )}
      {problems.length > 0 && (
        <Box>
          <Text fontWeight="semibold" textStyle="sm" mb="1">
            Problems found in the repository
          </Text>
          <DataTable label="Problems found in the repository" columns={PROBLEM_COLUMNS} rows={problems.map((problem, index) => ({ ...problem, index }))} rowKey={(p) => String(p.index)} bordered />
        </Box>
      )}
      {messages.length > 0 && (
        <details open={!done || job.state === "failed"}>
          <Box as="summary" cursor="pointer" textStyle="sm" color="fg.muted">
            Steps ({messages.length})
          </Box>
          <List.Root as="ol" ps="5" mt="1" textStyle="sm" gap="0.5" aria-label="Installation steps">
            {messages.map((entry, index) => (
              <List.Item key={index}>
                <Text as="span" color="fg.muted" fontFamily="mono" textStyle="xs" me="2">
                  {entry.progress !== undefined ? `${entry.progress}%` : ""}
                </Text>
                <InlineMarkdown text={entry.message ?? ""} />
              </List.Item>
            ))}
          </List.Root>
        </details>
      )}
    </Stack>
  );
}

/** Install a repository version from GitHub, a git URL or a local folder, with live progress. */
export function InstallPanel({ canInstall }: { canInstall: boolean }) {
  const [sourceType, setSourceType] = useState<SourceType>("github");
  const [url, setUrl] = useState("");
  const [version, setVersion] = useState("");
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartInstall();
  const versions = useAvailableVersions();
  const job = useInstallJob(jobId);
  const source = SOURCES[sourceType];
  const busy = job.data ? job.data.state === "queued" || job.data.state === "running" : Boolean(jobId);

  // A new attempt replaces what the last one said: no stale alert or old job stays on screen.
  function clearOutcome() {
    start.reset();
    versions.reset();
    setJobId(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    clearOutcome();
    start.mutate({ source_type: sourceType, source_url: url.trim(), version: version.trim() }, { onSuccess: (created) => setJobId(created.id) });
  }

  return (
    <Stack gap="3">
      {!canInstall && <Text color="fg.muted">Installing repositories needs the Admin role.</Text>}
      <form onSubmit={submit} aria-label="Install a repository">
        <HStack gap="3" align="flex-end" wrap="wrap">
          <Field.Root w="40">
            <Field.Label>Source</Field.Label>
            <NativeSelect.Root>
              <NativeSelect.Field
                value={sourceType}
                onChange={(event) => {
                  setSourceType(event.currentTarget.value as SourceType);
                  clearOutcome();
                }}
              >
                {(Object.keys(SOURCES) as SourceType[]).map((key) => (
                  <option key={key} value={key}>
                    {SOURCES[key].label}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
          <Field.Root flex="1" minW="72" required>
            <Field.Label>
              {source.field} <Field.RequiredIndicator />
            </Field.Label>
            <Input
              value={url}
              placeholder={source.placeholder}
              onChange={(event) => {
                setUrl(event.currentTarget.value);
                if (start.isError || versions.isError) {
                  start.reset();
                  versions.reset();
                }
              }}
              fontFamily="mono"
            />
          </Field.Root>
          {sourceType !== "local" && (
            <Field.Root w="52">
              <Field.Label>Version (tag)</Field.Label>
              {versions.data && versions.data.length > 0 ? (
                <NativeSelect.Root>
                  <NativeSelect.Field value={version} onChange={(event) => setVersion(event.currentTarget.value)}>
                    <option value="">Default branch</option>
                    {versions.data.map((tag) => (
                      <option key={tag} value={tag}>
                        {tag}
                      </option>
                    ))}
                  </NativeSelect.Field>
                  <NativeSelect.Indicator />
                </NativeSelect.Root>
              ) : (
                <Input value={version} placeholder="Default branch" onChange={(event) => setVersion(event.currentTarget.value)} />
              )}
            </Field.Root>
          )}
          {sourceType !== "local" && (
            <Button variant="outline" disabled={!url.trim()} loading={versions.isPending} onClick={() => {
                start.reset();
                versions.mutate({ sourceType, url: url.trim() });
              }}>
              Find versions
            </Button>
          )}
          <Button type="submit" disabled={!canInstall || !url.trim() || busy} loading={start.isPending}>
            Install
          </Button>
        </HStack>
        <Text textStyle="xs" color="fg.muted" mt="1">
          {source.help} A repository version can be installed once; install another version to upgrade.
        </Text>
      </form>
      {versions.isSuccess && versions.data.length === 0 && <Text textStyle="sm" color="fg.muted">This source has no version tags; the default branch will be installed.</Text>}
      <ActionError error={versions.error} title="Could not list the versions" />
      <ActionError error={start.error} title="The installation did not start" />
      {job.isError && <ErrorNotice error={job.error} what="installation progress" onRetry={() => void job.refetch()} />}
      {job.data && <InstallProgress job={job.data} />}
    </Stack>
  );
}
