import { Box } from "@chakra-ui/react";
import Markdown from "react-markdown";

/** Markdown as HTML; raw HTML inside the Markdown is dropped (skipHtml), never injected. */
export default function MarkdownView({ text }: { text: string }) {
  return (
    <Box
      className="domino-markdown"
      lineHeight="1.6"
      css={{
        "& h1": { fontSize: "2xl", fontWeight: "bold", mt: "2", mb: "3" },
        "& h2": { fontSize: "xl", fontWeight: "bold", mt: "4", mb: "2" },
        "& h3": { fontSize: "lg", fontWeight: "semibold", mt: "3", mb: "2" },
        "& p": { my: "2" },
        "& ul": { listStyleType: "disc", ps: "6", my: "2" },
        "& ol": { listStyleType: "decimal", ps: "6", my: "2" },
        "& code": { fontFamily: "mono", fontSize: "sm", bg: "bg.muted", px: "1", borderRadius: "sm" },
        "& pre": { bg: "bg.subtle", p: "3", borderRadius: "md", overflow: "auto" },
        "& pre code": { bg: "transparent", px: "0" },
        "& a": { color: "brand.fg", textDecoration: "underline" },
        "& table": { borderCollapse: "collapse", my: "2" },
        "& th, & td": { borderWidth: "1px", px: "2", py: "1" },
        "& blockquote": { borderStartWidth: "3px", ps: "3", color: "fg.muted" },
      }}
    >
      <Markdown skipHtml>{text}</Markdown>
    </Box>
  );
}
