/** How a display result is shown, from the piece's `file_type` (see the SDK's DisplayResultFileType). */
export type RendererKind = "text" | "json" | "markdown" | "html" | "image" | "svg" | "pdf" | "plotly" | "csv" | "download";

const KINDS: Record<string, RendererKind> = {
  txt: "text",
  text: "text",
  log: "text",
  json: "json",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  png: "image",
  jpeg: "image",
  jpg: "image",
  gif: "image",
  bmp: "image",
  webp: "image",
  svg: "svg",
  pdf: "pdf",
  plotly_json: "plotly",
  plotly: "plotly",
  csv: "csv",
  // Browsers other than Safari cannot show TIFF: offer the file instead.
  tiff: "download",
};

export function chooseRenderer(fileType: string | null | undefined): RendererKind {
  const key = (fileType ?? "").trim().toLowerCase().replace(/^\./, "");
  return KINDS[key] ?? "download";
}

/** Renderers that need the file's text (fetched), rather than pointing an element at its URL. */
export function needsText(kind: RendererKind): boolean {
  return kind === "text" || kind === "json" || kind === "markdown" || kind === "html" || kind === "plotly" || kind === "csv";
}
