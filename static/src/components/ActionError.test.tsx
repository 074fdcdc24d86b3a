import { ChakraProvider, defaultSystem } from "@chakra-ui/react";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { ActionError } from "./ActionError";
import { ErrorNotice } from "./ErrorNotice";

const REFUSED = new ApiError(422, "Repository `demo` 1.0.0 is installed already.", [{ path: "source_url", message: "Not a `git` URL; use `https://…`." }]);

describe("server messages in error alerts", () => {
  it("show the server's `names` as code, not raw backticks, and no HTML it sends", () => {
    render(
      <ChakraProvider value={defaultSystem}>
        <div data-testid="action">
          <ActionError error={REFUSED} title="Could not install" />
        </div>
        <div data-testid="notice">
          <ErrorNotice error={new ApiError(500, "Piece `Add` has no <b>schema</b>.")} what="pieces" />
        </div>
      </ChakraProvider>,
    );
    const action = screen.getByTestId("action");
    const notice = screen.getByTestId("notice");
    expect(action).toHaveTextContent("Repository demo 1.0.0 is installed already.");
    expect(action).not.toHaveTextContent("`");
    expect([...action.querySelectorAll("code")].map((c) => c.textContent)).toEqual(["demo", "source_url: ", "git", "https://…"]);
    expect(notice).toHaveTextContent("Piece Add has no schema.");
    expect(notice.querySelector("code")).toHaveTextContent("Add");
    expect(notice.querySelector("b")).toBeNull();
  });
});
