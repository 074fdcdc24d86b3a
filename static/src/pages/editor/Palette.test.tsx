import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import type { PieceSummary } from "../../api/pieces";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { stubApi } from "../workflows/testUtils";
import { PIECE_MIME } from "./Canvas";
import { Palette } from "./Palette";

function renderPalette(onAdd: (p: PieceSummary) => void, pieces: PieceSummary[] = []) {
  const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/new");
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
      <Palette pieces={pieces} onAdd={onAdd} />
    </AppProviders>,
  );
}

function summary(id: number, name: string, repository: string, extra: Partial<PieceSummary> = {}): PieceSummary {
  return { id, repository_id: id, repository, version: "1.0.0", name, description: `${name} does its job.`, tags: [], style: {}, ...extra };
}

const SCHEMA = { type: "object", properties: { a: { type: "integer", description: "First number." } }, required: ["a"] };

describe("Palette steps", { timeout: 30_000 }, () => {
  it("drags an approval, an input or a sub-workflow like a piece, and adds one with +", async () => {
    const onAdd = vi.fn();
    renderPalette(onAdd);
    const user = userEvent.setup({ delay: null });
    // jsdom's window is narrower than PALETTE_OPEN_FROM: the palette starts folded.
    await user.click(screen.getByRole("button", { name: "Show pieces" }));
    const steps = screen.getByRole("region", { name: "Steps" });
    expect(steps).toHaveTextContent("Approval");
    expect(steps).toHaveTextContent("Input");
    expect(steps).toHaveTextContent("Sub-workflow");
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), effectAllowed: "" };
    fireEvent.dragStart(screen.getByTestId("palette-step-workflow"), { dataTransfer });
    expect(JSON.parse(data.get(PIECE_MIME)!)).toEqual({ repository: "", version: "", name: "workflow" });
    await user.click(screen.getByRole("button", { name: "Add approval step to the workflow" }));
    expect(onAdd).toHaveBeenCalledWith(expect.objectContaining({ repository: "", version: "", name: "approval" }));
  });
});

describe("Palette pieces", { timeout: 30_000 }, () => {
  it("groups pieces by repository, shows tags and where a twice-shipped name comes from, and drags one", async () => {
    const pieces = [
      summary(1, "AddPiece", "maths", { tags: ["numbers", "basic"] }),
      summary(2, "AddPiece", "other_maths"),
      summary(3, "SleepPiece", "maths"),
    ];
    renderPalette(vi.fn(), pieces);
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole("button", { name: "Show pieces" }));
    const maths = screen.getByRole("region", { name: "maths 1.0.0" });
    expect(within(maths).getAllByRole("listitem").filter((li) => li.dataset.testid?.startsWith("palette-piece-"))).toHaveLength(2);
    expect(within(maths).getByRole("list", { name: "Tags" })).toHaveTextContent("numbersbasic");
    // Two repositories ship AddPiece: each entry says which; SleepPiece's does not.
    expect(screen.getAllByTestId("palette-piece-source").map((e) => e.textContent)).toEqual(["maths 1.0.0", "other_maths 1.0.0"]);
    const data = new Map<string, string>();
    fireEvent.dragStart(within(maths).getByTestId("palette-piece-SleepPiece"), { dataTransfer: { setData: (k: string, v: string) => data.set(k, v), effectAllowed: "" } });
    expect(JSON.parse(data.get(PIECE_MIME)!)).toEqual({ repository: "maths", version: "1.0.0", name: "SleepPiece" });
  });

  it("opens one piece's documentation at its ? button, switches to another's, and closes with a second click", async () => {
    // The popover's positioning watches its anchor's size (floating-ui); jsdom has no ResizeObserver.
    vi.stubGlobal("ResizeObserver", class { observe() {} unobserve() {} disconnect() {} });
    const fetchMock = stubApi({
      "/airflow/domino/api/v1/pieces/1": { status: 200, body: { ...summary(1, "AddPiece", "maths"), input_schema: SCHEMA, output_schema: { type: "object", properties: {} }, secrets_schema: {} } },
      "/airflow/domino/api/v1/pieces/3": { status: 200, body: { ...summary(3, "SleepPiece", "maths"), input_schema: { type: "object", properties: {} }, output_schema: { type: "object", properties: {} }, secrets_schema: {} } },
    });
    renderPalette(vi.fn(), [summary(1, "AddPiece", "maths"), summary(3, "SleepPiece", "maths")]);
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole("button", { name: "Show pieces" }));
    const addDocs = screen.getByRole("button", { name: "Documentation of AddPiece" });
    expect(addDocs).toHaveAttribute("aria-expanded", "false");
    await user.click(addDocs);
    const docs = await screen.findByTestId("piece-docs");
    expect(addDocs).toHaveAttribute("aria-expanded", "true");
    expect(docs).toHaveTextContent("AddPiece");
    expect(await within(docs).findByText("First number.")).toBeInTheDocument();
    expect(within(docs).getByLabelText("required")).toBeInTheDocument();
    // Only the open piece's details were asked for.
    expect(fetchMock.mock.calls.map(([input]) => (input instanceof Request ? input.url : input.toString()))).toEqual([expect.stringContaining("/pieces/1")]);

    await user.click(screen.getByRole("button", { name: "Documentation of SleepPiece" }));
    await waitFor(() => expect(screen.getByTestId("piece-docs")).toHaveTextContent("SleepPiece"));
    expect(screen.getAllByTestId("piece-docs")).toHaveLength(1);
    expect(addDocs).toHaveAttribute("aria-expanded", "false");

    await user.click(screen.getByRole("button", { name: "Documentation of SleepPiece" }));
    await waitFor(() => expect(screen.queryByTestId("piece-docs")).not.toBeInTheDocument());
  });
});
