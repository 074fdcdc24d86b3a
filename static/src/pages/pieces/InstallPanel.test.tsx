import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { INFO, renderPage, stubApi } from "../workflows/testUtils";
import { InstallPanel } from "./InstallPanel";

const API = "/airflow/domino/api/v1";

describe("InstallPanel", () => {
  it("says a refused source once, and a new attempt clears the old alert", async () => {
    let calls = 0;
    stubApi({
      [`${API}/info`]: { status: 200, body: INFO },
      [`POST ${API}/repositories/installs`]: () => {
        calls += 1;
        return calls === 1
          ? { status: 422, body: { detail: "source_url: Repository not found.", errors: [{ path: "source_url", message: "source_url: Repository not found." }] } }
          : { status: 202, body: { id: "job-2", state: "queued", progress: 0, step: "", log: [], source_url: "owner/good", version: "", error: null } };
      },
      [`${API}/repositories/installs/job-2`]: { status: 200, body: { id: "job-2", state: "queued", progress: 0, step: "", log: [], source_url: "owner/good", version: "", error: null } },
    });
    renderPage("/pieces", <InstallPanel canInstall />, "/pieces");
    const field = screen.getByRole("textbox", { name: /Repository/ });
    await userEvent.type(field, "owner/missing");
    await userEvent.click(screen.getByRole("button", { name: "Install" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The installation did not start");
    expect(alert.textContent?.match(/source_url/g)).toHaveLength(1);

    await userEvent.clear(field);
    await userEvent.type(field, "owner/good");
    expect(screen.queryByRole("alert")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Install" }));
    expect(await screen.findByText("owner/good")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
