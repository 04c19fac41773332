/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The app: index.html -> src/main.tsx. `VITE_BACKEND=mock` (or opening the page outside the
// Tauri window) uses the mock backend of src/api/mock.ts.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", target: "es2022", chunkSizeWarningLimit: 3000 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
