import { Box, type BoxProps } from "@chakra-ui/react";
import { lazy, Suspense } from "react";

// react-markdown (with its parser, ~120 KB) is not on the app's entry path: ErrorNotice and the
// editor's panels use InlineMarkdown, and most of their texts are plain (issue 12). The renderer
// loads with the first text that has Markdown in it; from then on it renders at once.
type Renderer = typeof import("./InlineMarkdownRender").default;
let renderer: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

/** Loads the Markdown renderer (once); InlineMarkdown renders synchronously after it resolved. */
export function loadInlineMarkdown(): Promise<Renderer> {
  loading ??= import("./InlineMarkdownRender").then((module) => (renderer = module.default));
  return loading;
}

const LazyRenderer = lazy(() => loadInlineMarkdown().then((loaded) => ({ default: loaded })));

// Text with none of the characters inline Markdown (or an autolink) is made of renders as itself:
// most descriptions are plain sentences, and a palette of pieces need not parse each one.
const MARKDOWN_SYNTAX = /[\\`*_[\]<>#~|!&]|https?:|www\.|^\s*([-+]|\d+[.)])\s/m;

function plain(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The text without its commonest inline marks (`code`, **bold**, [link](url)): shown the moment before the renderer is in. */
function unmarked(text: string): string {
  return plain(text)
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1");
}

/** A piece's description or help text with its inline Markdown (`code`, **bold**, links) rendered. */
export function InlineMarkdown({ text, ...rest }: { text: string } & BoxProps) {
  if (!MARKDOWN_SYNTAX.test(text)) {
    // Without style props, a plain span: the palette and the forms show dozens of these.
    if (Object.keys(rest).length === 0) return <span className="domino-inline-markdown">{plain(text)}</span>;
    return (
      <Box as="span" className="domino-inline-markdown" {...rest}>
        {plain(text)}
      </Box>
    );
  }
  const Loaded = renderer;
  return (
    <Box
      as="span"
      className="domino-inline-markdown"
      css={{
        "& code": { fontFamily: "mono", fontSize: "0.92em", bg: "bg.muted", px: "1", borderRadius: "sm" },
        "& a": { color: "brand.fg", textDecoration: "underline" },
      }}
      {...rest}
    >
      {Loaded ? (
        <Loaded text={text} />
      ) : (
        // Until the renderer's chunk is in (once per page load), the text shows without its marks.
        <Suspense fallback={unmarked(text)}>
          <LazyRenderer text={text} />
        </Suspense>
      )}
    </Box>
  );
}
