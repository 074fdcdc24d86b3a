import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { loadInlineMarkdown } from "../components/InlineMarkdown";

// InlineMarkdown's renderer is its own chunk (loaded on first use); loaded here, tests see Markdown rendered at once.
await loadInlineMarkdown();

afterEach(() => {
  cleanup();
});

// jsdom lacks matchMedia, which Chakra and the colour-mode code call.
if (typeof window.matchMedia !== "function") {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
