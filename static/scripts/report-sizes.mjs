// Prints each built JS/CSS asset raw and gzipped, and checks the initial JS against a budget.
// "Initial" = the scripts index.html loads itself (entry + modulepreload); lazy chunks load later.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const outDir = fileURLToPath(new URL("../../airflow_domino_plugin/views/ui_build/", import.meta.url));
const budgetKb = Number(process.env.DOMINO_UI_INITIAL_JS_BUDGET_KB ?? 500);

const html = readFileSync(join(outDir, "index.html"), "utf8");
const initial = new Set(
  [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]),
);

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = readdirSync(join(outDir, "assets"))
  .filter((name) => /\.(js|css)$/.test(name))
  .map((name) => {
    const file = `assets/${name}`;
    const data = readFileSync(join(outDir, file));
    return { file, raw: data.length, gzip: gzipSync(data, { level: 9 }).length, initial: initial.has(file) };
  })
  .sort((a, b) => b.gzip - a.gzip);

const width = Math.max(...rows.map((r) => r.file.length), 5);
console.log(`\n${"asset".padEnd(width)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}  load`);
for (const r of rows) {
  console.log(`${r.file.padEnd(width)}  ${kb(r.raw).padStart(10)}  ${kb(r.gzip).padStart(10)}  ${r.file.endsWith(".css") ? "css" : r.initial ? "initial" : "lazy"}`);
}
const initialJs = rows.filter((r) => r.initial);
/** @param {typeof rows} list @param {"raw" | "gzip"} key */
const total = (list, key) => list.reduce((sum, r) => sum + r[key], 0);
console.log(`\ninitial JS: ${initialJs.length} file(s), ${kb(total(initialJs, "raw"))} raw, ${kb(total(initialJs, "gzip"))} gzipped (budget ${budgetKb} KiB gzipped)`);
console.log(`all JS+CSS: ${kb(total(rows, "raw"))} raw, ${kb(total(rows, "gzip"))} gzipped`);

if (initialJs.length === 0) {
  console.error("report-sizes: index.html references no ./assets/*.js — did the build change shape?");
  process.exit(1);
}
if (total(initialJs, "gzip") > budgetKb * 1024) {
  console.error(`report-sizes: initial JS is over the ${budgetKb} KiB gzipped budget; lazy-load the heavy parts.`);
  process.exit(1);
}
