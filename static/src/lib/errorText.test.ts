import { describe, expect, it } from "vitest";
import { errorLines } from "./errorText";

describe("errorLines", () => {
  it("says a message repeated as its only field error once, with the field", () => {
    expect(errorLines("Repository not found.", [{ path: "source_url", message: "Repository not found." }])).toEqual({ message: "source_url: Repository not found.", items: [] });
  });
  it("never doubles a path the message already starts with", () => {
    const error = { path: "source_url", message: "source_url: not a git URL" };
    expect(errorLines("source_url: not a git URL", [error])).toEqual({ message: "source_url: not a git URL", items: [] });
    expect(errorLines("The install request is invalid.", [error]).items).toEqual([{ path: "source_url", message: "not a git URL" }]);
  });
  it("keeps distinct field errors and drops duplicates", () => {
    const errors = [
      { path: "a", message: "x" },
      { path: "a", message: "x" },
      { path: "b", message: "y" },
    ];
    expect(errorLines("Invalid.", errors)).toEqual({ message: "Invalid.", items: [errors[0], errors[2]] });
  });
});
