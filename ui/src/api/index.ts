// Picks the backend: the Tauri shell inside the app window, the mock one in a plain browser
// (tests, `npm run dev` without the shell) or when VITE_BACKEND=mock.
import { isTauri } from "@tauri-apps/api/core";
import type { Backend } from "./backend";
import { createMockBackend } from "./mock";
import { tauriBackend } from "./tauri";

export * from "./backend";

let chosen: Backend | null = null;

export function backend(): Backend {
  if (!chosen) {
    const forceMock = import.meta.env.VITE_BACKEND === "mock";
    chosen = !forceMock && isTauri() ? tauriBackend : createMockBackend();
  }
  return chosen;
}

/** For tests: use this backend from now on. */
export function setBackend(b: Backend | null) {
  chosen = b;
}
