import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const outDir = fileURLToPath(new URL("../airflow_domino_plugin/views/ui_build", import.meta.url));
// `npm run dev` proxies API and login calls to a running Airflow API server; Airflow's `_token`
// cookie is per host (not per port), so logging in there also logs in the dev server.
const airflowUrl = process.env.AIRFLOW_URL ?? "http://localhost:8080";

export default defineConfig({
  // Relative asset URLs: the app is served at <prefix>/domino/ui/ under any Airflow base path.
  // index.html sets <base href> at runtime so deep links resolve assets from the app root.
  base: "./",
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Chakra's index evaluates `defaultSystem = createSystem(defaultConfig)`; the app uses its own system
      // (theme/system.ts), but the unused call stayed in the entry: a second theme build on every page load
      // (~40 ms of the entry's evaluation, issue 12). Calls whose result is unused are dropped.
      treeshake: { manualPureFunctions: ["createSystem"] },
    },
  },
  server: {
    proxy: {
      "/domino/api": airflowUrl,
      "/api/v2": airflowUrl,
      "/auth": airflowUrl,
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Page tests render Chakra and React Flow; on a loaded 2-core machine one took over 5 s (Vitest's default)
    // without anything being wrong. A limit on a test's run, not an assertion about speed.
    testTimeout: 30_000,
    unstubGlobals: true,
  },
});
