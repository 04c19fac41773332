/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The one file outside ui/ the UI reads (its folder, as Vite checks `?raw` imports by folder):
// the new scenario's template, shared with the shell
// (`archsim::app::files::NEW_SCENARIO`) so File › New is the same model in both.
const NEW_SCENARIO = fileURLToPath(new URL("../src/app/", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));

// The app: index.html -> src/main.tsx. `VITE_BACKEND=mock` (or opening the page outside the
// Tauri window) uses the mock backend of src/api/mock.ts.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  clearScreen: false,
  server: { port: 5173, strictPort: true, fs: { allow: [HERE, NEW_SCENARIO] } },
  build: { outDir: "dist", target: "es2022", chunkSizeWarningLimit: 3000 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
