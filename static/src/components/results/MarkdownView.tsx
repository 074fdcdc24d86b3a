import { Box } from "@chakra-ui/react";
import Markdown, { type Components } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { resolveResultUrl, type FileContext } from "./resolveUrl";

interface MarkdownViewProps {
  text: string;
  /** Resolves the run's own files (images, links) through the API; without it they are dropped. */
  files?: FileContext;
  /** A result in the run report: long documents scroll inside a frame (not when printed). */
  compact?: boolean;
}

// GitHub's sanitising rules (rehype-sanitize's default): no scripts, styles, event handlers or
// unknown URL schemes. Raw HTML in the Markdown is skipped before it even gets there.
const SCHEMA = { ...defaultSchema, clobberPrefix: "md-" };

const COMPONENTS: Components = {
  // Links to other pages open in a new tab; the GUI stays where it is.
  a: ({ href, title, children }) => {
    const external = href !== undefined && href !== "" && !href.startsWith("#");
    return (
      <a href={href} title={title} {...(external ? { target: "_blank", rel: "noopener noreferrer" } : {})}>
        {children}
      </a>
    );
  },
  // An image whose source was dropped (outside the run, unsafe scheme) shows its alt text.
  img: ({ src, alt, title }) => (src ? <img src={src} alt={alt ?? ""} title={title} loading="lazy" /> : <span>{alt ? `[${alt}]` : null}</span>),
  table: ({ children }) => (
    <div className="domino-markdown-table" role="region" aria-label="Table" tabIndex={0}>
      <table>{children}</table>
    </div>
  ),
};

/** GitHub-flavoured Markdown (tables, task lists, strikethrough, autolinks) as sanitised HTML. */
export default function MarkdownView({ text, files, compact = false }: MarkdownViewProps) {
  return (
    <Box
      className="domino-markdown"
      lineHeight="1.6"
      maxH={compact ? "560px" : undefined}
      overflow={compact ? "auto" : undefined}
      css={{
        "& h1": { fontSize: "2xl", fontWeight: "bold", mt: "2", mb: "3" },
        "& h2": { fontSize: "xl", fontWeight: "bold", mt: "4", mb: "2" },
        "& h3": { fontSize: "lg", fontWeight: "semibold", mt: "3", mb: "2" },
        "& p": { my: "2" },
        "& ul": { listStyleType: "disc", ps: "6", my: "2" },
        "& ol": { listStyleType: "decimal", ps: "6", my: "2" },
        "& li.task-list-item": { listStyleType: "none", ms: "-5" },
        "& li.task-list-item input": { me: "2", verticalAlign: "middle" },
        "& code": { fontFamily: "mono", fontSize: "sm", bg: "bg.muted", px: "1", borderRadius: "sm" },
        "& pre": { bg: "bg.subtle", p: "3", borderRadius: "md", overflow: "auto" },
        "& pre code": { bg: "transparent", px: "0" },
        "& a": { color: "brand.fg", textDecoration: "underline" },
        "& img": { maxW: "100%", maxH: "480px", my: "2", display: "inline-block" },
        "& .domino-markdown-table": { overflowX: "auto", my: "3", maxW: "100%" },
        "& table": { borderCollapse: "collapse", fontSize: "sm" },
        "& th": { bg: "bg.muted", fontWeight: "semibold", textAlign: "start" },
        "& th, & td": { borderWidth: "1px", borderColor: "border", px: "2", py: "1" },
        "& tbody tr:nth-of-type(even)": { bg: "bg.subtle" },
        "& blockquote": { borderStartWidth: "3px", ps: "3", color: "fg.muted" },
        "& del": { color: "fg.muted" },
      }}
    >
      <Markdown
        skipHtml
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeSanitize, SCHEMA]]}
        components={COMPONENTS}
        urlTransform={(url) => (files ? resolveResultUrl(url, files) : webOnly(url))}
      >
        {text}
      </Markdown>
    </Box>
  );
}

/** Without a file context only web links and anchors survive. */
function webOnly(url: string): string {
  return /^(https?:|mailto:|#)/i.test(url.trim()) ? url : "";
}
