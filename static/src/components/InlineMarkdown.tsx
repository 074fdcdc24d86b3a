import { Box, type BoxProps } from "@chakra-ui/react";
import Markdown, { type Components } from "react-markdown";

// Help texts are one or two sentences: code, emphasis and links only, rendered inline so they
// sit in helper texts and table cells. Anything else (headings, images, raw HTML) is unwrapped to
// its text.
const ALLOWED = ["p", "code", "strong", "em", "del", "a", "br"];
const COMPONENTS: Components = {
  p: ({ children }) => <>{children} </>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
};

function webOnly(url: string): string {
  return /^(https?:|mailto:)/i.test(url.trim()) ? url : "";
}

// Text with none of the characters inline Markdown (or an autolink) is made of renders as itself:
// most descriptions are plain sentences, and a palette of pieces need not parse each one.
const MARKDOWN_SYNTAX = /[\\`*_[\]<>#~|!&]|https?:|www\.|^\s*([-+]|\d+[.)])\s/m;

/** A piece's description or help text with its inline Markdown (`code`, **bold**, links) rendered. */
export function InlineMarkdown({ text, ...rest }: { text: string } & BoxProps) {
  if (!MARKDOWN_SYNTAX.test(text)) {
    return (
      <Box as="span" className="domino-inline-markdown" {...rest}>
        {text.replace(/\s+/g, " ").trim()}
      </Box>
    );
  }
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
      <Markdown skipHtml allowedElements={ALLOWED} unwrapDisallowed components={COMPONENTS} urlTransform={webOnly}>
        {text}
      </Markdown>
    </Box>
  );
}
