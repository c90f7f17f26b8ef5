// Bundle the page into the Python package's static folder (src/eventcoder/web/), offline and self-contained.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", "src", "eventcoder", "web");

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  metafile: true,
  entryPoints: { app: join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020"],
  outdir,
  loader: { ".png": "dataurl", ".svg": "dataurl" },
  legalComments: "eof",
  logLevel: "warning",
});
await copyFile(join(here, "src", "index.html"), join(outdir, "index.html"));
// the detailed outlines load after the first events show (the bundle carries the light 110m ones)
await copyFile(join(here, "node_modules", "world-atlas", "countries-50m.json"), join(outdir, "countries-50m.json"));
await writeFile(join(outdir, "THIRD_PARTY_LICENSES.txt"), await licences(Object.keys(result.metafile.inputs)));
console.log(`built the web page into ${outdir}`);

// The licence of every npm package bundled (their notices must travel with the built files).
async function licences(inputs) {
  const packages = new Set();
  for (const input of inputs) {
    const found = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (found) packages.add(found[1]);
  }
  const parts = ["Third-party code bundled into app.js and app.css by web/build.mjs:\n"];
  for (const name of [...packages].sort()) {
    const folder = join(here, "node_modules", name);
    const meta = JSON.parse(await readFile(join(folder, "package.json"), "utf8"));
    const file = (await readdir(folder)).find((entry) => /licen[cs]e/i.test(entry) && !entry.endsWith(".js"));
    if (!file) throw new Error(`${name} has no licence file to bundle`);
    parts.push(`==== ${name} ${meta.version} (${meta.license}) ====\n${await readFile(join(folder, file), "utf8")}`);
  }
  return parts.join("\n");
}
