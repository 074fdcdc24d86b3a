import { ChakraProvider, defaultSystem } from "@chakra-ui/react";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { shapeOf, tableColumns } from "./valueShape";
import { ValueView } from "./ValueView";

describe("shapeOf", () => {
  it("lays out arrays of objects as tables with every column in first-seen order", () => {
    expect(tableColumns([{ a: 1 }, { b: 2, a: 3 }])).toEqual(["a", "b"]);
    expect(tableColumns([{ a: 1 }, 2])).toBeNull();
    expect(tableColumns([])).toBeNull();
    expect(shapeOf([{ a: 1 }]).kind).toBe("table");
  });

  it("tells records, lists, texts and scalars apart", () => {
    expect(shapeOf({ x: 1 }).kind).toBe("record");
    expect(shapeOf([1, 2]).kind).toBe("list");
    expect(shapeOf("a\nb").kind).toBe("text");
    expect(shapeOf(false)).toEqual({ kind: "scalar", text: "false", type: "boolean" });
    expect(shapeOf(null).kind).toBe("scalar");
    expect(shapeOf({}).kind).toBe("empty");
  });
});

describe("ValueView", () => {
  it("shows outputs as key/value rows and nested rows as a table, with raw JSON on demand", async () => {
    render(
      <ChakraProvider value={defaultSystem}>
        <ValueView value={{ total: 7, path: "/tmp/a.csv", rows: [{ city: "Oslo", sales: 12 }, { city: "Rome", sales: 7 }] }} label="Outputs of add" />
      </ChakraProvider>,
    );
    const outputs = screen.getByRole("table", { name: "Outputs of add" });
    expect(within(outputs).getByRole("rowheader", { name: "total" })).toBeInTheDocument();
    expect(within(outputs).getAllByRole("cell", { name: "7" }).length).toBeGreaterThan(0);
    const rows = screen.getByRole("table", { name: "Outputs of add: rows" });
    expect(within(rows).getByRole("columnheader", { name: "sales" })).toBeInTheDocument();
    expect(within(rows).getAllByRole("row")).toHaveLength(3);
    expect(screen.queryByText(/"total": 7/)).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Raw JSON" }));
    expect(screen.getByText(/"total": 7/)).toBeInTheDocument();
  });
});
