// @vitest-environment node
// types.ts is generated from schema.json (itself checked against the Rust types by the shell's
// test `generated_api_schema_is_committed`): the committed file must be what the generator writes.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without type declarations
import { generate } from "../../scripts/gen-types.mjs";

it("types.ts is generated from schema.json", async () => {
  const committed = readFileSync(new URL("./types.ts", import.meta.url), "utf8");
  expect(committed).toBe(await generate());
}, 30000);
