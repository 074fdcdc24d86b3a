import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Below this size a file is sent as it is (Airflow's API server compresses nothing under 1 KiB either). */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /\.(js|css|svg|json|txt|html)$/;

/**
 * Writes `<asset>.gz` next to each compressible built asset, once, at build time. Airflow's API server
 * gzips every response on the fly (level 5, in Python): the editor's chunks cost it ~70 ms of CPU per
 * page load, on the cores the browser needs (issue 12). views/ui.py sends the `.gz` as it is.
 * @returns {import("vite").Plugin}
 */
export function precompress() {
  let outDir = "";
  return {
    name: "domino-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, "assets");
      for (const name of readdirSync(assets)) {
        if (!COMPRESSIBLE.test(name)) continue;
        const data = readFileSync(join(assets, name));
        if (data.length >= MIN_BYTES) writeFileSync(join(assets, `${name}.gz`), gzipSync(data, { level: 9 }));
      }
    },
  };
}
