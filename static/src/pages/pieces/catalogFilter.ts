import type { CatalogPiece } from "../../api/repositories";

export interface CatalogFilter {
  /** Words that must all appear in the name, description, tags or repository. */
  text: string;
  /** Repository name ("" for any). */
  repository: string;
  /** Tags the piece must all have. */
  tags: string[];
}

export const NO_FILTER: CatalogFilter = { text: "", repository: "", tags: [] };

export function filterPieces(pieces: readonly CatalogPiece[], filter: CatalogFilter): CatalogPiece[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const wanted = filter.tags.map((tag) => tag.toLowerCase());
  return pieces.filter((piece) => {
    if (filter.repository && piece.repository !== filter.repository) return false;
    const tags = piece.tags.map((tag) => tag.toLowerCase());
    if (!wanted.every((tag) => tags.includes(tag))) return false;
    const haystack = `${piece.name} ${piece.description} ${piece.tags.join(" ")} ${piece.repository}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** Tags and repositories to offer as filters, each with how many pieces have it. */
export function facets(pieces: readonly CatalogPiece[]): { tags: [string, number][]; repositories: [string, number][] } {
  const tags = new Map<string, number>();
  const repositories = new Map<string, number>();
  for (const piece of pieces) {
    for (const tag of new Set(piece.tags)) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    repositories.set(piece.repository, (repositories.get(piece.repository) ?? 0) + 1);
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { tags: sorted(tags), repositories: sorted(repositories) };
}

/** Names shipped by more than one installed repository version: cards show the source for them. */
export function ambiguousNames(pieces: readonly CatalogPiece[]): Set<string> {
  const seen = new Map<string, number>();
  for (const piece of pieces) seen.set(piece.name, (seen.get(piece.name) ?? 0) + 1);
  return new Set([...seen.entries()].filter(([, count]) => count > 1).map(([name]) => name));
}
