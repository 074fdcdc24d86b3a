import { ChakraProvider, defaultSystem } from "@chakra-ui/react";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import MarkdownView from "./MarkdownView";
import { filesUrlOf, resolveResultUrl } from "./resolveUrl";

const FILES = "/airflow/domino/api/v1/workflows/wf/runs/run%2B1/tasks/report/files/";
const CONTEXT = { filesUrl: FILES, resultsFolder: "/srv/results/wf/run_1/report" };

describe("resolveResultUrl", () => {
  it("maps names relative to the report to the task's files endpoint", () => {
    expect(resolveResultUrl("chart.png", CONTEXT)).toBe(`${FILES}chart.png`);
    expect(resolveResultUrl("./img/my chart.png", CONTEXT)).toBe(`${FILES}img/my%20chart.png`);
    expect(resolveResultUrl("chart.png", { ...CONTEXT, baseDir: "out" })).toBe(`${FILES}out/chart.png`);
  });

  it("maps server paths under the task's or the run's results folder", () => {
    expect(resolveResultUrl("/srv/results/wf/run_1/report/chart.png", CONTEXT)).toBe(`${FILES}chart.png`);
    expect(resolveResultUrl("file:///srv/results/wf/run_1/report/a/b.csv", CONTEXT)).toBe(`${FILES}a/b.csv`);
    expect(resolveResultUrl("/srv/results/wf/run_1/plot/bars.png", CONTEXT)).toBe(FILES.replace("/tasks/report/", "/tasks/plot/") + "bars.png");
  });

  it("drops paths that leave the run and unsafe schemes, keeps web links and anchors", () => {
    expect(resolveResultUrl("/etc/passwd", CONTEXT)).toBe("");
    expect(resolveResultUrl("/srv/results/wf/other_run/x/y.png", CONTEXT)).toBe("");
    expect(resolveResultUrl("../../../etc/passwd", CONTEXT)).toBe("");
    expect(resolveResultUrl("//evil.example/x.png", CONTEXT)).toBe("");
    expect(resolveResultUrl("javascript:alert(1)", CONTEXT)).toBe("");
    expect(resolveResultUrl("data:text/html,hi", CONTEXT)).toBe("");
    expect(resolveResultUrl("https://example.org/a?b=1", CONTEXT)).toBe("https://example.org/a?b=1");
    expect(resolveResultUrl("#totals", CONTEXT)).toBe("#totals");
  });

  it("maps remote storage URIs too", () => {
    const remote = { filesUrl: FILES, resultsFolder: "s3://bucket/results/wf/run_1/report" };
    expect(resolveResultUrl("s3://bucket/results/wf/run_1/report/chart.png", remote)).toBe(`${FILES}chart.png`);
    expect(resolveResultUrl("s3://bucket/elsewhere/chart.png", remote)).toBe("");
  });

  it("derives the files endpoint from the result URL", () => {
    expect(filesUrlOf("/api/workflows/wf/runs/r/tasks/t/result")).toBe("/api/workflows/wf/runs/r/tasks/t/files/");
  });
});

function show(text: string) {
  return render(
    <ChakraProvider value={defaultSystem}>
      <MarkdownView text={text} files={CONTEXT} />
    </ChakraProvider>,
  );
}

describe("MarkdownView", () => {
  it("renders GitHub tables with alignment and task lists", () => {
    show("| city | sales |\n|---|---:|\n| Oslo | 12 |\n| Rome | 7 |\n\n- [x] done\n- [ ] open\n");
    const table = screen.getByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByRole("columnheader", { name: "sales" })).toHaveStyle({ textAlign: "right" });
    expect(within(table).getByRole("cell", { name: "Oslo" })).toBeInTheDocument();
    const boxes = screen.getAllByRole("checkbox");
    expect(boxes.map((box) => (box as HTMLInputElement).checked)).toEqual([true, false]);
    expect(boxes.every((box) => (box as HTMLInputElement).disabled)).toBe(true);
  });

  it("shows the run's images through the files endpoint and drops foreign ones", () => {
    show("![Bars](chart.png)\n\n![Server](/srv/results/wf/run_1/report/b.png)\n\n![Other](/etc/x.png)\n");
    expect(screen.getByRole("img", { name: "Bars" })).toHaveAttribute("src", `${FILES}chart.png`);
    expect(screen.getByRole("img", { name: "Server" })).toHaveAttribute("src", `${FILES}b.png`);
    expect(screen.queryByRole("img", { name: "Other" })).toBeNull();
    expect(screen.getByText("[Other]")).toBeInTheDocument();
  });

  it("never renders raw HTML, scripts or javascript: links", () => {
    const { container } = show('<script>window.hacked=1</script><img src=x onerror="alert(1)">\n\n[click](javascript:alert(1)) and [data](results.csv)\n');
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    expect(screen.getByText("click").closest("a")?.getAttribute("href") ?? "").toBe("");
    expect(screen.getByRole("link", { name: "data" })).toHaveAttribute("href", `${FILES}results.csv`);
    expect(screen.getByRole("link", { name: "data" })).toHaveAttribute("target", "_blank");
  });
});
