import { Badge, Button, SimpleGrid, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { useInfo } from "../../api/queries";
import { useAllRepositories, useCatalogPieces, useDeleteRepository } from "../../api/repositories";
import type { Repository } from "../../api/types";
import { actionsColumn, DataTable, SMALL, type DataColumn } from "../../components/DataTable";
import { DateTime } from "../../components/DateTime";
import { QueryContent } from "../../components/QueryContent";
import { SectionCard } from "../../components/SectionCard";
import { ConfirmDialog } from "../../components/AppDialog";
import { PageHeading } from "../../components/PageHeading";
import { InstallPanel } from "./InstallPanel";
import { PieceCard } from "./PieceCard";
import { PieceSearch } from "./PieceSearch";
import { UpgradeReport } from "./UpgradeReport";

function PieceList({ repository }: { repository: Repository }) {
  const pieces = useCatalogPieces(repository.id);
  return (
    <QueryContent query={pieces} what="pieces" isEmpty={(data) => data.items.length === 0} empty={<Text color="fg.muted">This version has no pieces.</Text>}>
      {(data) => (
        <SimpleGrid columns={{ base: 1, md: 2, xl: 3 }} gap="3" as="ul" listStyleType="none" aria-label={`Pieces of ${repository.name} ${repository.version}`}>
          {data.items.map((piece) => (
            <PieceCard key={piece.id} piece={piece} />
          ))}
        </SimpleGrid>
      )}
    </QueryContent>
  );
}

type Panel = { kind: "pieces" | "upgrade"; repository: Repository } | null;

interface RepositoryActions {
  /** Every installed version: the upgrade report needs two of one repository. */
  all: Repository[];
  panel: Panel;
  setPanel: (panel: Panel) => void;
  isAdmin: boolean;
  onDelete: (repository: Repository) => void;
}

function repositoryColumns({ all, panel, setPanel, isAdmin, onDelete }: RepositoryActions): DataColumn<Repository>[] {
  return [
    {
      key: "repository",
      header: "Repository",
      cell: (repository) => (
        <>
          <Text fontWeight="semibold">{repository.label || repository.name}</Text>
          <Text textStyle="xs" color="fg.muted" fontFamily="mono">
            {repository.name}
          </Text>
        </>
      ),
    },
    { key: "version", header: "Version", cell: (repository) => <Badge variant="outline">{repository.version}</Badge> },
    {
      key: "source",
      header: "Source",
      cellProps: { maxW: "80" },
      cell: (repository) => (
        <>
          <Text textStyle="xs" color="fg.muted">
            {repository.source_type}
          </Text>
          <Text textStyle="sm" fontFamily="mono" truncate title={repository.source_url}>
            {repository.source_url}
          </Text>
        </>
      ),
    },
    { key: "pieces", header: "Pieces", align: "end", cell: (repository) => repository.piece_count },
    {
      key: "installed",
      header: "Installed",
      cellProps: SMALL,
      cell: (repository) => (
        <>
          <DateTime value={repository.installed_at} relative />
          <Text textStyle="xs" color="fg.muted">
            by {repository.installed_by}
          </Text>
        </>
      ),
    },
    actionsColumn((repository) => {
      const versions = all.filter((other) => other.name === repository.name);
      const open = panel?.kind === "pieces" && panel.repository.id === repository.id;
      return (
        <>
          <Button size="xs" variant={open ? "solid" : "outline"} aria-expanded={open} onClick={() => setPanel(open ? null : { kind: "pieces", repository })}>
            Pieces
          </Button>
          <Button
            size="xs"
            variant="outline"
            disabled={versions.length < 2}
            title={versions.length < 2 ? "Install another version to compare" : undefined}
            onClick={() => setPanel({ kind: "upgrade", repository })}
          >
            Upgrade report
          </Button>
          <Button size="xs" variant="outline" colorPalette="red" disabled={!isAdmin} onClick={() => onDelete(repository)}>
            Delete
          </Button>
        </>
      );
    }),
  ];
}

export function PiecesPage() {
  const repositories = useAllRepositories();
  const info = useInfo();
  const isAdmin = info.data?.permissions.admin !== false;
  const remove = useDeleteRepository();
  const [panel, setPanel] = useState<Panel>(null);
  const [deleting, setDeleting] = useState<Repository | null>(null);

  return (
    <Stack gap="5">
      <PageHeading title="Pieces" description="Repositories of pieces installed in Domino, each version separately, and the documentation of every piece." />
      <SectionCard id="catalog-heading" title="Find a piece">
        <PieceSearch />
      </SectionCard>
      <SectionCard id="install-heading" title="Install a repository">
        <InstallPanel canInstall={isAdmin} />
      </SectionCard>
      <SectionCard id="repositories-heading" title="Installed repositories" aside={repositories.data ? `${repositories.data.total} version(s)` : undefined}>
        <QueryContent
          query={repositories}
          what="repositories"
          isEmpty={(data) => data.items.length === 0}
          empty={<Text color="fg.muted">No repositories installed yet. Install one above to get pieces for your workflows.</Text>}
        >
          {(data) => (
            <DataTable
              labelledBy="repositories-heading"
              interactive
              columns={repositoryColumns({ all: data.items, panel, setPanel, isAdmin, onDelete: setDeleting })}
              rows={data.items}
              rowKey={(repository) => String(repository.id)}
              rowProps={(repository) => ({ "data-repository": `${repository.name}@${repository.version}` })}
            />
          )}
        </QueryContent>
      </SectionCard>

      {panel && (
        <SectionCard
          id="panel-heading"
          title={panel.kind === "pieces" ? `Pieces of ${panel.repository.name} ${panel.repository.version}` : `Upgrade report for ${panel.repository.name}`}
          aside={
            <Button size="xs" variant="ghost" onClick={() => setPanel(null)}>
              Close
            </Button>
          }
        >
          {panel.kind === "pieces" ? (
            <PieceList repository={panel.repository} />
          ) : (
            <UpgradeReport
              key={panel.repository.id}
              from={panel.repository}
              versions={(repositories.data?.items ?? []).filter((other) => other.name === panel.repository.name)}
            />
          )}
        </SectionCard>
      )}

      {deleting && (
        <ConfirmDialog
          open
          title={`Delete ${deleting.name} ${deleting.version}?`}
          confirmLabel="Delete version"
          pending={remove.isPending}
          error={remove.error}
          errorTitle="The repository version was not deleted"
          onClose={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() =>
            remove.mutate(deleting.id, {
              onSuccess: () => {
                if (panel?.repository.id === deleting.id) setPanel(null);
                setDeleting(null);
              },
            })
          }
        >
          Its {deleting.piece_count} piece(s) can no longer be used. A version that a workflow still uses cannot be deleted.
        </ConfirmDialog>
      )}
    </Stack>
  );
}
