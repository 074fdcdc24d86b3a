import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { CatalogPiece } from "../../api/repositories";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { ambiguousNames, facets, filterPieces, NO_FILTER } from "./catalogFilter";
import { PieceSearch } from "./PieceSearch";

const API = "/airflow/domino/api/v1";
const piece = (id: number, name: string, repository: string, version: string, tags: string[], description = ""): CatalogPiece => ({
  id,
  name,
  repository,
  version,
  tags,
  description,
  repository_id: id * 10,
});
const PIECES = [
  piece(1, "AddPiece", "domino_style_pieces", "0.1.0", ["Math"], "Adds `a` and `b`."),
  piece(2, "MarkdownReportPiece", "domino_style_pieces", "0.1.0", ["Report"]),
  piece(3, "AddPiece", "other_pieces", "2.0.0", ["Math", "Demo"]),
  piece(4, "SlugifyPiece", "other_pieces", "2.0.0", ["Text"], "Turns text into a slug"),
];

describe("catalog filter", () => {
  it("filters by words, repository and every chosen tag", () => {
    expect(filterPieces(PIECES, { ...NO_FILTER, text: "add" }).map((p) => p.id)).toEqual([1, 3]);
    expect(filterPieces(PIECES, { ...NO_FILTER, text: "slug text" }).map((p) => p.id)).toEqual([4]);
    expect(filterPieces(PIECES, { ...NO_FILTER, repository: "other_pieces" }).map((p) => p.id)).toEqual([3, 4]);
    expect(filterPieces(PIECES, { ...NO_FILTER, tags: ["math", "Demo"] }).map((p) => p.id)).toEqual([3]);
  });

  it("counts facets and spots names two repositories ship", () => {
    expect(facets(PIECES).tags).toEqual([["Demo", 1], ["Math", 2], ["Report", 1], ["Text", 1]]);
    expect(facets(PIECES).repositories).toEqual([["domino_style_pieces", 2], ["other_pieces", 2]]);
    expect([...ambiguousNames(PIECES)]).toEqual(["AddPiece"]);
  });
});

describe("PieceSearch", () => {
  it("narrows the list by search, repository and tag, showing each piece's repository and version", async () => {
    stubApi({ [`${API}/info`]: { status: 200, body: INFO }, [`${API}/pieces`]: { status: 200, body: { items: PIECES, total: 4 } } });
    const user = userEvent.setup();
    renderPage("/pieces", <PieceSearch />, "/pieces");
    const list = await screen.findByRole("list", { name: "Matching pieces" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(4);
    // The same name from two repositories: told apart by repository and version.
    const adds = within(list).getAllByRole("listitem").filter((item) => item.getAttribute("data-piece") === "AddPiece");
    expect(adds.map((item) => within(item).getByTitle("Repository and version").textContent)).toEqual(["domino_style_pieces 0.1.0", "other_pieces 2.0.0"]);
    // Backticks in a description render as code.
    expect(adds[0]?.querySelector("code")).toHaveTextContent("a");

    await user.type(screen.getByRole("searchbox"), "add");
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    await user.selectOptions(screen.getByRole("combobox", { name: "Repository" }), "other_pieces");
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    await user.click(within(screen.getByRole("group", { name: "Filter by tag" })).getByRole("button", { name: /Report/ }));
    expect(within(list).getAllByRole("listitem").map((item) => item.getAttribute("data-piece"))).toEqual(["MarkdownReportPiece"]);
    expect(screen.getByRole("status")).toHaveTextContent("1 of 4 piece(s) match");
  }, 30_000);
});
