import { defineConfig } from "vitest/config";

// Tauri serves ui/dist under a strict CSP (script-src/style-src 'self'), so the
// bundle must be plain files: no inlined assets, nothing fetched remotely.
export default defineConfig({
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
