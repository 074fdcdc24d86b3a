import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { SecretsPage } from "./SecretsPage";

const API = "/airflow/domino/api/v1";
const SECRET = {
  repository: "domino_style_pieces",
  name: "GREETING_API_TOKEN",
  pieces: ["SecretGreetingPiece"],
  description: "Token of the greeting API",
  required: true,
  variable: "domino_secret_domino_style_pieces_greeting_api_token",
  is_set: false,
};

describe("Secrets page", () => {
  it("sets a secret through a password field and never shows the value", async () => {
    const puts: unknown[] = [];
    let isSet = false;
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/secrets`]: () => ({ status: 200, body: { items: [{ ...SECRET, is_set: isSet }] } }),
      [`PUT ${API}/secrets/domino_style_pieces/GREETING_API_TOKEN`]: (init) => {
        puts.push(JSON.parse(init?.body as string));
        isSet = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderPage("/secrets", <SecretsPage />, "/secrets");
    const row = await screen.findByRole("row", { name: /GREETING_API_TOKEN/ });
    expect(within(row).getByText("Not set")).toBeInTheDocument();
    await user.click(within(row).getByRole("button", { name: "Set GREETING_API_TOKEN" }));
    const dialog = await screen.findByRole("dialog");
    const input = within(dialog).getByLabelText(/Value/);
    expect(input).toHaveAttribute("type", "password");
    await user.type(input, "s3cret");
    await user.click(within(dialog).getByRole("button", { name: "Save secret" }));
    expect(await within(await screen.findByRole("row", { name: /GREETING_API_TOKEN/ })).findByText("Set")).toBeInTheDocument();
    expect(puts).toEqual([{ value: "s3cret" }]);
    expect(screen.queryByText("s3cret")).not.toBeInTheDocument();
    // Saving says so (the dialog closes, and a write-only value cannot be seen).
    expect(await screen.findByRole("status")).toHaveTextContent("GREETING_API_TOKEN saved");
    expect(screen.queryByRole("dialog")).toBeNull();
  }, 20_000);

  it("explains a 403 by the role it needs", async () => {
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`${API}/secrets`]: { status: 403, body: { detail: "Forbidden" } },
    });
    renderPage("/secrets", <SecretsPage />, "/secrets");
    expect(await screen.findByText("Secrets need the Op or Admin role")).toBeInTheDocument();
  });
});
