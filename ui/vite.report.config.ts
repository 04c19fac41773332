import { defineConfig } from "vite";

// One self-contained script for the HTML report, committed as src/report/assets/report.js.
export default defineConfig({
  // library mode leaves `process.env.NODE_ENV` (read by ECharts) to the bundler's user
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
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
