import { describe, expect, it } from "vitest";
import { chooseRenderer, needsText } from "./chooseRenderer";
import { csvTable, parseCsv } from "./csv";

describe("chooseRenderer", () => {
  it.each([
    ["txt", "text"],
    ["json", "json"],
    ["md", "markdown"],
    ["html", "html"],
    ["png", "image"],
    ["jpeg", "image"],
    ["JPG", "image"],
    ["gif", "image"],
    ["bmp", "image"],
    ["svg", "svg"],
    ["pdf", "pdf"],
    ["plotly_json", "plotly"],
    ["csv", "csv"],
    ["tiff", "download"],
    ["exe", "download"],
    [null, "download"],
  ])("%s → %s", (fileType, kind) => {
    expect(chooseRenderer(fileType)).toBe(kind);
  });

  it("fetches the text only for renderers that parse it", () => {
    expect(needsText("markdown")).toBe(true);
    expect(needsText("html")).toBe(true);
    expect(needsText("image")).toBe(false);
    expect(needsText("svg")).toBe(false);
    expect(needsText("pdf")).toBe(false);
  });
});

describe("parseCsv", () => {
  it("parses plain rows with CRLF or LF and ignores the trailing newline", () => {
    expect(parseCsv("a,b\r\n1,2\n3,4\n")).toEqual([["a", "b"], ["1", "2"], ["3", "4"]]);
  });

  it("handles quotes, doubled quotes, delimiters and newlines inside quotes", () => {
    expect(parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\n')).toEqual([
      ["name", "note"],
      ["Smith, J", 'said "hi"\nthen left'],
    ]);
  });

  it("keeps empty fields and strips a BOM", () => {
    expect(parseCsv("\uFEFFa,,c\n,,\n")).toEqual([["a", "", "c"], ["", "", ""]]);
    expect(parseCsv("")).toEqual([]);
  });

  it("cuts long tables and says how much", () => {
    const table = csvTable("h\n1\n2\n3\n", 2);
    expect(table).toEqual({ header: ["h"], body: [["1"], ["2"]], omitted: 1 });
  });
});
