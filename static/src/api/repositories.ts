import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";
import type { Page, Repository } from "./types";

export type SourceType = "local" | "git" | "github";

export interface InstallProblem {
  file?: string;
  field?: string;
  message: string;
}

export interface InstallLogEntry {
  at: string;
  progress?: number;
  message?: string;
  problems?: InstallProblem[];
}

export interface InstallJob {
  id: string;
  source_type: SourceType;
  source_url: string;
  version: string;
  state: "queued" | "running" | "succeeded" | "failed";
  step: string;
  progress: number;
  log: InstallLogEntry[];
  error: string;
  repository_id: number | null;
  created_by?: string;
  created_at?: string;
  finished_at?: string | null;
}

export interface SchemaChanges {
  added?: string[];
  removed?: string[];
  retyped?: { name: string; from: string; to: string }[];
  newly_required?: string[];
}

export interface UpgradeReport {
  pieces_added: string[];
  pieces_removed: string[];
  pieces_changed: { piece: string; inputs?: SchemaChanges; outputs?: SchemaChanges; secrets?: SchemaChanges }[];
  breaking: boolean;
  workflows_using_from_version: string[];
}

/** Named "catalog" here: the editor owns api/pieces.ts; this is the read-only documentation view. */
export interface CatalogPiece {
  id: number;
  name: string;
  description: string;
  repository_id: number;
  repository: string;
  version: string;
  tags: string[];
}

export type JsonSchema = Record<string, unknown>;

export interface CatalogPieceDetail extends CatalogPiece {
  input_schema: JsonSchema;
  output_schema: JsonSchema;
  secrets_schema: JsonSchema;
  source_url: string;
  dependency?: Record<string, unknown>;
  container_resources?: Record<string, unknown>;
}

export const repositoryKeys = {
  all: ["repositories"] as const,
  list: ["repositories", "all"] as const,
  job: (id: string) => ["repositories", "job", id] as const,
  versions: (sourceType: string, url: string) => ["repositories", "versions", sourceType, url] as const,
  upgrade: (id: number, to: string) => ["repositories", "upgrade", id, to] as const,
  pieces: (repositoryId: number | null) => ["catalog", "pieces", repositoryId] as const,
  piece: (id: string) => ["catalog", "piece", id] as const,
};

export function useAllRepositories() {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: repositoryKeys.list,
    queryFn: ({ signal }) => api.get<Page<Repository>>("/repositories", { limit: 1000, offset: 0 }, signal),
  });
}

export function useInstallJob(jobId: string | null) {
  const { api } = useAppEnvironment();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: repositoryKeys.job(jobId ?? ""),
    queryFn: ({ signal }) => api.get<InstallJob>(`/repositories/installs/${seg(jobId ?? "")}`, undefined, signal),
    enabled: Boolean(jobId),
    refetchInterval: (current) => {
      const state = current.state.data?.state;
      return state === "succeeded" || state === "failed" ? false : 1000;
    },
  });
  const succeeded = query.data?.state === "succeeded";
  useEffect(() => {
    // Refresh what a new version changes: the repository list, the pieces and the declared secrets.
    // (Not from inside the queryFn: invalidating a prefix that includes the job would cancel itself.)
    if (!succeeded) return;
    void client.invalidateQueries({ queryKey: repositoryKeys.list });
    void client.invalidateQueries({ queryKey: ["catalog"] });
    void client.invalidateQueries({ queryKey: ["secrets"] });
  }, [succeeded, client]);
  return query;
}

export function useStartInstall() {
  const sender = useSender();
  return useMutation({
    mutationFn: (body: { source_type: SourceType; source_url: string; version: string }) =>
      sender.send<InstallJob>("POST", "/repositories/installs", body),
  });
}

export function useAvailableVersions() {
  const sender = useSender();
  return useMutation({
    mutationFn: async ({ sourceType, url }: { sourceType: SourceType; url: string }) => {
      const response = await sender.raw("/repositories/versions", { source_type: sourceType, source_url: url });
      return ((await response.json()) as { versions: string[] }).versions;
    },
  });
}

export function useDeleteRepository() {
  const sender = useSender();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => sender.send<void>("DELETE", `/repositories/${seg(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: repositoryKeys.list }),
  });
}

export function useUpgradeReport(id: number | null, toVersion: string) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: repositoryKeys.upgrade(id ?? 0, toVersion),
    queryFn: ({ signal }) =>
      api.get<UpgradeReport>(`/repositories/${seg(id ?? 0)}/upgrade-report`, { to_version: toVersion }, signal),
    enabled: id !== null && Boolean(toVersion),
  });
}

/** Every installed piece (all repositories and versions), for the catalog's search. */
export function useAllCatalogPieces() {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: ["catalog", "pieces", "every"] as const,
    queryFn: ({ signal }) => api.get<Page<CatalogPiece>>("/pieces", { limit: 1000, offset: 0 }, signal),
  });
}

export function useCatalogPieces(repositoryId: number | null) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: repositoryKeys.pieces(repositoryId),
    queryFn: ({ signal }) =>
      api.get<Page<CatalogPiece>>("/pieces", { repository_id: repositoryId ?? undefined, limit: 1000, offset: 0 }, signal),
    enabled: repositoryId !== null,
  });
}

export function useCatalogPiece(id: string) {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: repositoryKeys.piece(id),
    queryFn: ({ signal }) => api.get<CatalogPieceDetail>(`/pieces/${seg(id)}`, undefined, signal),
  });
}
