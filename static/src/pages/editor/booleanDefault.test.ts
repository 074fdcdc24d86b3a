import { describe, expect, it } from "vitest";
import { booleanLabel } from "./InputField";

describe("booleanLabel", () => {
  it("shows an unset boolean by its default, saying it is the default", () => {
    expect(booleanLabel(undefined, true)).toBe("Yes (default)");
    expect(booleanLabel(undefined, false)).toBe("No (default)");
    expect(booleanLabel(undefined, undefined)).toBe("Not set");
    expect(booleanLabel(false, true)).toBe("No");
  });
});
