import { describe, expect, it } from "vitest";
import { upstreamCandidates } from "./bindings";
import { declaredOutputs, outputNames, taskOutputSchema, type PieceSchemas } from "./dynamicOutputs";
import { subschemaAt } from "./typeCompat";
import { emptyWorkflow, type WorkflowDoc } from "./workflowDoc";

/** A custom-code piece as Domino ships it: `output_args` of OutputModifierModel, `extra="allow"` outputs. */
const codePiece: PieceSchemas = {
  input_schema: {
    type: "object",
    properties: {
      output_args: {
        type: "array",
        items: { $ref: "#/$defs/OutputModifierModel" },
        default: [
          { name: "output_1", type: "string", description: "An example string output" },
          { name: "output_2", type: "integer", description: "" },
        ],
        from_upstream: "never",
      },
    },
    $defs: { OutputModifierModel: { type: "object", properties: { name: { type: "string" }, type: { enum: ["string", "integer"] } } } },
  },
  output_schema: { type: "object", properties: {}, additionalProperties: true },
  dynamic_output_inputs: ["output_args"],
};

describe("declared outputs", () => {
  it("come from the input, else from its default", () => {
    expect(declaredOutputs(codePiece, {}).map((d) => [d.name, d.type])).toEqual([
      ["output_1", "string"],
      ["output_2", "integer"],
    ]);
    const given = { output_args: [{ name: "ratio", type: "float" }, { name: "tag" }, { type: "integer" }, { $param: "x" }] };
    expect(declaredOutputs(codePiece, given).map((d) => [d.name, d.type])).toEqual([
      ["ratio", "float"],
      ["tag", "string"],
    ]);
    expect(declaredOutputs(codePiece, { output_args: { $param: "outs" } })).toEqual([]);
    expect(declaredOutputs({ ...codePiece, dynamic_output_inputs: [] }, given)).toEqual([]);
  });

  it("become typed properties of the task's output schema", () => {
    const schema = taskOutputSchema(codePiece, { output_args: [{ name: "ratio", type: "float", description: "A ratio" }, { name: "n", type: "integer" }] });
    expect(schema.properties).toEqual({ ratio: { type: "number", description: "A ratio" }, n: { type: "integer" } });
    expect(schema.additionalProperties).toBe(true);
    const withOwn: PieceSchemas = { ...codePiece, output_schema: { ...codePiece.output_schema, properties: { n: { type: "string" } } } };
    expect(taskOutputSchema(withOwn, { output_args: [{ name: "n", type: "integer" }, { name: "m" }] }).properties).toEqual({
      n: { type: "string" },
      m: { type: "string" },
    });
    expect(outputNames(withOwn, { output_args: [{ name: "m" }] })).toEqual(["n", "m"]);
  });

  it("are bindable downstream with their declared type", () => {
    const doc: WorkflowDoc = {
      ...emptyWorkflow(),
      tasks: [
        { id: "code", piece: { repository: "r", version: "1", name: "Code" }, inputs: { output_args: [{ name: "count", type: "integer" }, { name: "label" }] } },
        { id: "sum", piece: { repository: "r", version: "1", name: "Sum" }, depends_on: ["code"] },
      ],
    };
    const inputs = { type: "object", properties: { a: { type: "integer" } } };
    const result = upstreamCandidates(doc, "sum", subschemaAt(inputs, ["a"], inputs), inputs, (id) =>
      id === "code" ? taskOutputSchema(codePiece, doc.tasks[0]!.inputs) : undefined,
    );
    expect(result.map((c) => [c.value.output, c.type, c.reason === null])).toEqual([
      ["count", "integer", true],
      ["label", "string", false],
    ]);
  });
});
