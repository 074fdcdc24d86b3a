import { Box, HStack, Image, Link, Spinner, Text } from "@chakra-ui/react";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, type ReactNode } from "react";
import { ErrorNotice } from "../ErrorNotice";
import { chooseRenderer, needsText, type RendererKind } from "./chooseRenderer";
import { CsvTable } from "./CsvTable";
import type { FileContext } from "./resolveUrl";
import { ValueView } from "./ValueView";

const MarkdownView = lazy(() => import("./MarkdownView"));
const PlotlyChart = lazy(() => import("./PlotlyChart"));

interface DisplayResultProps {
  fileType: string;
  /** Same-origin URL of the file (GET …/tasks/{task}/result); the Airflow cookie authenticates it. */
  url: string;
  /** Names the result for assistive technology, e.g. "Result of fetch". */
  label: string;
  /** Shorter frames in the printable report. */
  compact?: boolean;
  /** Lets a Markdown result show the run's own images and link to its files. */
  files?: FileContext;
}

function Loading({ what }: { what: string }) {
  return (
    <HStack role="status" color="fg.muted" gap="2" py="2">
      <Spinner size="sm" />
      <Text>Loading {what}…</Text>
    </HStack>
  );
}

async function fetchText(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { credentials: "same-origin", signal });
  if (!response.ok) {
    const { errorFromResponse } = await import("../../api/client");
    throw errorFromResponse(response.status, response.statusText, await response.text());
  }
  return response.text();
}

function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function TextRenderer({ kind, text, label, compact, files }: { kind: RendererKind; text: string; label: string; compact: boolean; files?: FileContext }): ReactNode {
  switch (kind) {
    case "json": {
      const parsed = parseJson(text);
      return parsed.error ? <Text color="fg.error">The JSON result is not valid JSON: {parsed.error}</Text> : <ValueView value={parsed.value} label={label} />;
    }
    case "markdown":
      return (
        <Suspense fallback={<Loading what="the Markdown viewer" />}>
          <MarkdownView text={text} files={files} compact={compact} />
        </Suspense>
      );
    case "html":
      // sandbox="" gives the document an opaque origin with no scripts, forms or top navigation:
      // it cannot read the app, its cookies or the API.
      return (
        <Box as="iframe" {...{ sandbox: "", srcDoc: text, title: label }} w="100%" h={compact ? "320px" : "480px"} borderWidth="1px" borderRadius="md" bg="white" />
      );
    case "csv":
      return <CsvTable text={text} label={label} />;
    case "plotly": {
      const parsed = parseJson(text);
      if (parsed.error) return <Text color="fg.error">The chart is not valid JSON: {parsed.error}</Text>;
      return (
        <Suspense fallback={<Loading what="the chart library" />}>
          <PlotlyChart spec={parsed.value as Record<string, never>} label={label} />
        </Suspense>
      );
    }
    default:
      return (
        <Box as="pre" role="region" aria-label={label} tabIndex={0} fontFamily="mono" fontSize="xs" bg="bg.subtle" borderWidth="1px" borderRadius="md" p="3" maxH={compact ? "320px" : "480px"} overflow="auto" whiteSpace="pre-wrap">
          {text}
        </Box>
      );
  }
}

/** A piece's display result, rendered according to its file type, with a link to the raw file. */
export function DisplayResult({ fileType, url, label, compact = false, files }: DisplayResultProps) {
  const kind = chooseRenderer(fileType);
  const text = useQuery({
    queryKey: ["display-result", url],
    queryFn: ({ signal }) => fetchText(url, signal),
    enabled: needsText(kind),
    staleTime: Infinity,
  });

  let body: ReactNode;
  if (needsText(kind)) {
    if (text.isPending) body = <Loading what="the result" />;
    else if (text.isError) body = <ErrorNotice error={text.error} what="result" onRetry={() => void text.refetch()} />;
    else body = <TextRenderer kind={kind} text={text.data} label={label} compact={compact} files={files} />;
  } else if (kind === "image" || kind === "svg") {
    // SVG goes through <img> too: scripts inside it do not run there.
    body = <Image src={url} alt={label} maxW="100%" maxH={compact ? "360px" : "600px"} objectFit="contain" borderWidth="1px" borderRadius="md" bg="white" />;
  } else if (kind === "pdf") {
    body = (
      <Box as="object" {...{ data: url, type: "application/pdf", "aria-label": label }} w="100%" h={compact ? "360px" : "560px"} borderWidth="1px" borderRadius="md">
        <Text p="3">
          This browser cannot show the PDF here.{" "}
          <Link href={url} color="brand.fg" textDecoration="underline">
            Download it
          </Link>
          .
        </Text>
      </Box>
    );
  } else {
    body = <Text color="fg.muted">Results of type “{fileType}” cannot be shown in the browser; download the file instead.</Text>;
  }

  return (
    <Box className="domino-display-result" data-kind={kind}>
      {body}
      <Link href={url} target="_blank" rel="noopener" download textStyle="sm" color="brand.fg" mt="2" display="inline-block" className="no-print">
        Download the {fileType} file
      </Link>
    </Box>
  );
}
