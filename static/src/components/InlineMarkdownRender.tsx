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

/** InlineMarkdown's parser and renderer, its own chunk: react-markdown loads only once some text has Markdown in it. */
export default function InlineMarkdownRender({ text }: { text: string }) {
  return (
    <Markdown skipHtml allowedElements={ALLOWED} unwrapDisallowed components={COMPONENTS} urlTransform={webOnly}>
      {text}
    </Markdown>
  );
}
