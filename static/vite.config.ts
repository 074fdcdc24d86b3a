import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { precompress } from "./scripts/precompress.mjs";

const outDir = fileURLToPath(new URL("../airflow_domino_plugin/views/ui_build", import.meta.url));
// `npm run dev` proxies API and login calls to a running Airflow API server; Airflow's `_token`
// cookie is per host (not per port), so logging in there also logs in the dev server.
const airflowUrl = process.env.AIRFLOW_URL ?? "http://localhost:8080";

// React Router's package exports resolve to its development build in every bundle (remix-run/react-router#14102,
// open): dev warnings and checks on every navigation. The build takes its production files, which the package ships.
const routerProduction = fileURLToPath(new URL("./node_modules/react-router/dist/production/", import.meta.url));

export default defineConfig(({ command }) => ({
  resolve: {
    alias:
      command === "build"
        ? [
            { find: /^react-router$/, replacement: `${routerProduction}index.mjs` },
            { find: /^react-router\/dom$/, replacement: `${routerProduction}dom-export.mjs` },
          ]
        : [],
  },
  // Relative asset URLs: the app is served at <prefix>/domino/ui/ under any Airflow base path.
  // index.html sets <base href> at runtime so deep links resolve assets from the app root.
  base: "./",
  plugins: [react(), precompress()],
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
      output: {
        // Fewer, larger chunks (issue 12): by default the entry came in 7 files and opening the editor took 17 more
        // requests (small common chunks shared by some lazy pages), each through Airflow's API server, which on a
        // loaded machine answered them one after another (editor chunks 580 -> 1,180 ms in a trace). Now the entry
        // (all index.html loads) is one file and rolldown's runtime; the modules two or more lazy pages share are
        // one "shared" chunk; React Flow ("flow") and the Markdown renderer ("markdown", loaded on use) are their
        // own: the editor opens with 5 requests. The approvals page stays out of "shared": its StepCard imports
        // react-markdown directly, which would make every page load the Markdown chunk.
        codeSplitting: {
          groups: [
            { name: "app", tags: ["$initial"], priority: 4 },
            { name: "markdown", test: /[\\/]node_modules[\\/](react-markdown|remark-gfm|rehype-sanitize)[\\/]/, priority: 3 },
            { name: "flow", test: /[\\/]node_modules[\\/](@xyflow)[\\/]/, priority: 2 },
            { name: "shared", test: (id) => !/[\\/]node_modules[\\/]plotly|[\\/]src[\\/]pages[\\/]approvals[\\/]/.test(id), minShareCount: 2, priority: 1 },
          ],
        },
      },
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
}));
