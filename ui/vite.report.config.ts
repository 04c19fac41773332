import { defineConfig } from "vite";

// One self-contained script for the HTML report, committed as src/report/assets/report.js.
export default defineConfig({
  build: {
    outDir: "../src/report/assets",
    emptyOutDir: false,
    target: "es2020",
    minify: true,
    lib: {
      entry: "report/main.ts",
      name: "archsimReport",
      formats: ["iife"],
      fileName: () => "report.js",
    },
  },
});
