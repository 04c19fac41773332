import { describe, expect, it } from "vitest";
import type { Analysis } from "../api";
import { redo, scenarioStore, undo, variantWithin } from "./scenario";

const withVariants = (n: number, text: string): Analysis =>
  ({ text, file_name: "s.toml", path: null, document: { variants: Array.from({ length: n }, (_, i) => ({ name: `v${i}` })) }, diagnostics: [], topology: [] }) as unknown as Analysis;

describe("the variant selected across the history", () => {
  it("stays within the variants the text has", () => {
    expect(variantWithin(withVariants(3, ""), 2)).toBe(2);
    expect(variantWithin(withVariants(2, ""), 2)).toBe(1);
    expect(variantWithin(withVariants(0, ""), 1)).toBe(0);
  });

  it("undoing a new variant selected selects the last one left; redo keeps it", () => {
    const two = withVariants(2, "two");
    const three = withVariants(3, "three");
    scenarioStore.set({ analysis: three, past: [two], future: [], variant: 2, topology: [] });
    undo();
    expect(scenarioStore.get().analysis?.text).toBe("two");
    expect(scenarioStore.get().variant).toBe(1);
    redo();
    expect(scenarioStore.get().analysis?.text).toBe("three");
    expect(scenarioStore.get().variant).toBe(1);
  });
});
