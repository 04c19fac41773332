// Generates src/api/types.ts from src/api/schema.json (written by the shell's test
// `generated_api_schema_is_committed` from the Rust types). Never edit types.ts by hand.
// Usage: node scripts/gen-types.mjs [--check]
import { compile } from "json-schema-to-typescript";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const schemaPath = here("../src/api/schema.json");
const outPath = here("../src/api/types.ts");

// schemars puts a field's doc comment beside its `$ref`; json-schema-to-typescript would then
// declare a copy of the referenced type for every such field (Stat1, Stat2, ...). Keep the ref.
function bareRefs(v) {
  if (Array.isArray(v)) return v.map(bareRefs);
  if (v && typeof v === "object") {
    if (typeof v.$ref === "string") return { $ref: v.$ref };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bareRefs(x)]));
  }
  return v;
}

export async function generate() {
  const schema = bareRefs(JSON.parse(readFileSync(schemaPath, "utf8")));
  return compile(schema, "ArchsimApi", {
    bannerComment:
      "/* Generated from src/api/schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */",
    additionalProperties: false,
    unreachableDefinitions: true,
    format: false,
    style: { singleQuote: false },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ts = await generate();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(outPath, "utf8");
    if (committed !== ts) {
      console.error("src/api/types.ts is out of date: run `npm run gen:types`");
      process.exit(1);
    }
    console.log("src/api/types.ts is up to date");
  } else {
    writeFileSync(outPath, ts);
    console.log(`wrote ${outPath}`);
  }
}
