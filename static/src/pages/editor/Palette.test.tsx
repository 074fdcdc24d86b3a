import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { AppProviders } from "../../App";
import { createApiClient } from "../../api/client";
import type { PieceSummary } from "../../api/pieces";
import { createQueryClient } from "../../api/queries";
import { appUrlsFromPathname } from "../../api/urls";
import { PIECE_MIME } from "./Canvas";
import { Palette } from "./Palette";

function renderPalette(onAdd: (p: PieceSummary) => void) {
  const urls = appUrlsFromPathname("/airflow/domino/ui/workflows/new");
  render(
    <AppProviders environment={{ urls, api: createApiClient(urls.apiRoot) }} queryClient={createQueryClient()}>
      <Palette pieces={[]} onAdd={onAdd} />
    </AppProviders>,
  );
}

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
