/**
 * Compile-time check of the client's types against the API's OpenAPI document.
 *
 * `openapi.gen.ts` is generated from the server's response models (`python -m tools.openapi_types`;
 * a Python test fails when it is stale). Every field a client type reads must exist in the
 * matching server model: a renamed or removed field fails `npm run typecheck` and names the field.
 */
import type * as Server from "./openapi.gen";
import type { PieceDetail, PieceSummary } from "./pieces";
import type { CatalogPiece, CatalogPieceDetail, InstallJob } from "./repositories";
import type { LogChunk, ResultInfo, RunDetail, RunOut, RunReport, TaskOut } from "./runs";
import type { DeclaredSecret } from "./secrets";
import type { Info, Repository, RevisionSummary, WorkflowSummary } from "./types";
import type { WorkflowDetail, WorkflowListItem } from "./workflowList";
import type { RevisionWithDocument, ValidationResult, WorkflowWithDocument } from "./workflows";
import type { SubWorkflowSpec } from "../lib/steps";

/** Declared field names, without index signatures (`[key: string]: unknown`). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type Missing<ServerModel, ClientModel> = Exclude<KnownKeys<ClientModel>, keyof ServerModel>;
/** `true`, or the names of the client's fields the server does not send. */
type Covers<ServerModel, ClientModel> = [Missing<ServerModel, ClientModel>] extends [never]
  ? true
  : Missing<ServerModel, ClientModel>;
type Assert<T extends true> = T;

export type ContractChecks = [
  Assert<Covers<Server.Info, Info>>,
  Assert<Covers<Server.RepositoryOut, Repository>>,
  Assert<Covers<Server.RevisionSummary, RevisionSummary>>,
  Assert<Covers<Server.WorkflowSummary, WorkflowSummary>>,
  Assert<Covers<Server.WorkflowSummary, WorkflowListItem>>,
  Assert<Covers<Server.WorkflowOut, WorkflowDetail>>,
  Assert<Covers<Server.WorkflowOut, WorkflowWithDocument>>,
  Assert<Covers<Server.RevisionOut, RevisionWithDocument>>,
  Assert<Covers<Server.ValidationResult, ValidationResult>>,
  Assert<Covers<Server.AsTaskOut, SubWorkflowSpec>>,
  Assert<Covers<Server.PieceSummary, PieceSummary>>,
  Assert<Covers<Server.PieceSummary, CatalogPiece>>,
  Assert<Covers<Server.PieceOut, PieceDetail>>,
  Assert<Covers<Server.PieceOut, CatalogPieceDetail>>,
  Assert<Covers<Server.InstallJobOut, InstallJob>>,
  Assert<Covers<Server.RunOut, RunOut>>,
  Assert<Covers<Server.RunDetailOut, RunDetail>>,
  Assert<Covers<Server.TaskOut, TaskOut>>,
  Assert<Covers<Server.LogOut, LogChunk>>,
  Assert<Covers<Server.ResultInfoOut, ResultInfo>>,
  Assert<Covers<Server.ReportOut, RunReport>>,
  Assert<Covers<Server.SecretOut, DeclaredSecret>>,
];
