/** Response shapes of the plugin's REST API (/domino/api/v1). */

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageParams {
  limit: number;
  offset: number;
}

export type PermissionName = "read" | "edit_workflows" | "run_workflows" | "manage_secrets" | "admin";

export interface Info {
  version: string;
  airflow_version: string;
  user: { name: string; id?: string | null };
  permissions: Partial<Record<PermissionName, boolean>>;
}

export interface Repository {
  id: number;
  name: string;
  label: string;
  version: string;
  description?: string;
  source_type: string;
  source_url: string;
  source_ref?: string;
  status: string;
  piece_count: number;
  installed_at: string;
  installed_by: string;
}

export interface RevisionSummary {
  id: number;
  number: number;
  created_at: string;
  author: string;
  message: string;
  /** Saved with problems: kept and editable, never built into a DAG. */
  draft?: boolean;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  schedule: string | null;
  revision: RevisionSummary | null;
  /** The revision the DAG runs (the last one saved valid); null while there are only drafts. */
  deployed_revision?: RevisionSummary | null;
  /** The current revision is a draft, newer than the deployed one. */
  has_draft?: boolean;
  created_at?: string;
  created_by?: string;
  updated_at: string;
  updated_by?: string;
}

/** One problem in a request, located by a JSON path such as "nodes[2].inputs.url". */
export interface FieldError {
  path: string;
  message: string;
}
