import { ChakraProvider, defaultSystem } from "@chakra-ui/react";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { InlineMarkdown } from "./InlineMarkdown";

function show(text: string) {
  return render(
    <ChakraProvider value={defaultSystem}>
      <p data-testid="help">
        <InlineMarkdown text={text} />
      </p>
    </ChakraProvider>,
  );
}

describe("InlineMarkdown", () => {
  it("renders backticks as code, not as raw characters", () => {
    show("Rows shown as a `Markdown` table, **bold** and [docs](https://example.org).");
    const help = screen.getByTestId("help");
    expect(help).not.toHaveTextContent("`");
    expect(help.querySelector("code")).toHaveTextContent("Markdown");
    expect(help.querySelector("strong")).toHaveTextContent("bold");
    expect(screen.getByRole("link", { name: "docs" })).toHaveAttribute("href", "https://example.org");
  });

  it("stays inline (no block elements inside a <p>) and drops HTML and unsafe links", () => {
    const { container } = show("# Title\n\n<b>x</b> [bad](javascript:alert(1))");
    expect(container.querySelector("h1, [data-testid=help] p, b")).toBeNull();
    expect(screen.getByTestId("help")).toHaveTextContent("Title");
    expect(screen.getByText("bad").getAttribute("href") ?? "").toBe("");
  });
  it("shows plain sentences as they are, and still renders any text with Markdown in it", () => {
    const { unmount } = show("Adds two numbers.\nReturns their sum.");
    expect(screen.getByTestId("help")).toHaveTextContent(/^Adds two numbers\. Returns their sum\.$/);
    unmount();
    for (const text of ["a *b* c", "x_y_ or `z`", "see [here](https://example.org)", "- one\n- two"]) {
      const { container, unmount: done } = show(text);
      expect(container.querySelector("em, code, a, strong") ?? container.textContent).not.toBe(text);
      done();
    }
  });
});
