#!/usr/bin/env node
// precise-oracle.mjs ROOT ENTRY PRECISE_JSON — the soundness oracle of
// precise mode (SPEC §4.10, issue 15): bundles the worker graph from ENTRY
// with esbuild (tree shaking on, the worker's conditions) where a plugin
// turns every "use client" module into a reference proxy exporting its
// names, and prints one JSON line: the proxies whose code survives in the
// output (`kept`, absolute paths), those of them missing from dscan's
// precise client list (`missing`: must be empty), and the sizes.
// esbuild comes from bench/reference (bench/reference/setup.sh installs it).
import fs from "node:fs";
import path from "node:path";
import { builtinModules, createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, "../../bench/reference/package.json"));
const esbuild = require("esbuild");
const [root, entry, preciseJson] = process.argv.slice(2);
if (!preciseJson) {
  console.error("usage: precise-oracle.mjs ROOT ENTRY PRECISE_JSON");
  process.exit(2);
}

// The directive prologue (SPEC §4.3): comments, whitespace and string
// statements before anything else.
function useClient(text) {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith("//", i)) { const e = text.indexOf("\n", i); i = e < 0 ? text.length : e + 1; continue; }
    if (text.startsWith("/*", i)) { const e = text.indexOf("*/", i + 2); if (e < 0) return false; i = e + 2; continue; }
    const q = text[i];
    if (q !== '"' && q !== "'") return false;
    const e = text.indexOf(q, i + 1);
    if (e < 0) return false;
    if (text.slice(i + 1, e) === "use client") return true;
    i = e + 1;
    while (i < text.length && /[ \t]/.test(text[i])) i++;
    if (text[i] === ";") i++;
  }
}

// Export names of compiled package output, comments and strings aside well
// enough for it: `export default`, `export {a as b}` (with or without
// `from`), `export const|let|var|function|class|async function NAME`.
// `export *` in a "use client" file is reported (the proxy cannot list it).
function exportNames(text) {
  const names = new Set();
  let star = false;
  const src = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of src.matchAll(/\bexport\s+default\b/g)) names.add("default");
  for (const m of src.matchAll(/\bexport\s+(?:async\s+)?(?:const|let|var|function\*?|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of src.matchAll(/\bexport\s+(?:const|let|var)\s*\{([^}]*)\}/g))
    for (const p of m[1].split(",")) { const n = p.split(":").pop().trim(); if (n) names.add(n); }
  for (const m of src.matchAll(/\bexport\s*\{([^}]*)\}/g))
    for (const p of m[1].split(",")) {
      const parts = p.trim().split(/\s+as\s+/);
      const n = parts[parts.length - 1].trim().replace(/^["']|["']$/g, "");
      if (n && !n.startsWith("type ")) names.add(n);
    }
  if (/\bexport\s*\*\s*from/.test(src)) star = true;
  return { names: [...names], star };
}

// An .mdx page compiled as MDX would be: its top-level ESM blocks (outside
// code fences), and a component that renders every binding they import.
function mdxModule(text) {
  const out = [];
  const bindings = [];
  let fence = false, esm = false;
  for (const line of text.split("\n")) {
    if (/^(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    if (!esm && /^(import|export)\b/.test(line)) esm = true;
    if (esm && line.trim() === "") esm = false;
    if (!esm) continue;
    out.push(line);
    const m = line.match(/^import\s+(.*?)\s+from\s/);
    if (m) for (const part of m[1].replace(/[{}]/g, ",").split(",")) {
      const n = part.trim().split(/\s+as\s+/).pop().replace(/^\*\s*/, "").trim();
      if (n && n !== "type") bindings.push(n);
    }
  }
  out.push('import { jsx as __jsx } from "react/jsx-runtime";');
  out.push(`export default function MDXContent() { return __jsx("div", { children: [${bindings.join(", ")}] }); }`);
  return out.join("\n");
}

const proxies = new Set();
const starProxies = [];
const proxyPlugin = {
  name: "use-client-proxy",
  setup(build) {
    build.onLoad({ filter: /\.mdx$/ }, async (args) => ({
      contents: mdxModule(await fs.promises.readFile(args.path, "utf8")), loader: "jsx",
    }));
    build.onLoad({ filter: /\.(m?[jt]sx?|c[jt]s)$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, "utf8");
      if (!useClient(text)) return undefined;
      proxies.add(args.path);
      const { names, star } = exportNames(text);
      if (star) starProxies.push(args.path);
      const id = JSON.stringify(args.path);
      const lines = names.map((n) => n === "default"
        ? `export default { $$typeof: "client", $$id: ${id} + "#default" };`
        : `const __p_${n} = { $$typeof: "client", $$id: ${id} + "#${n}" }; export { __p_${n} as ${n} };`);
      return { contents: lines.join("\n") || "export {};", loader: "js" };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [path.resolve(root, entry)],
  bundle: true,
  write: false,
  outdir: "/tmp/precise-oracle-out",
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "react-server", "module", "node", "browser", "production"],
  mainFields: ["module", "jsnext:main", "jsnext", "main"],
  resolveExtensions: [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json"],
  jsx: "automatic",
  treeShaking: true,
  metafile: true,
  logLevel: "silent",
  external: ["cloudflare:*", "node:*", "virtual:*", ...builtinModules],
  loader: { ".css": "empty", ".svg": "empty", ".png": "empty", ".woff2": "empty" },
  plugins: [proxyPlugin],
}).catch((e) => {
  console.error(`esbuild failed: ${e.message.split("\n").slice(0, 8).join("\n")}`);
  process.exit(1);
});

const kept = new Set();
for (const out of Object.values(result.metafile.outputs))
  for (const [input, info] of Object.entries(out.inputs)) {
    const abs = path.resolve(root, input);
    if (info.bytesInOutput > 0 && proxies.has(abs)) kept.add(abs);
  }
const preciseList = JSON.parse(fs.readFileSync(preciseJson, "utf8"));
const realRoot = preciseList.root;
// Paths inside ROOT are written "/" + relative (SPEC §3), others absolute.
const listed = new Set(preciseList.client.map((p) => (fs.existsSync(path.join(realRoot, p)) ? path.join(realRoot, p) : p)));
const missing = [...kept].filter((p) => !listed.has(fs.realpathSync(p)));
console.log(JSON.stringify({
  proxies: proxies.size, kept: kept.size, precise: preciseList.client.length,
  ratio: kept.size ? +(preciseList.client.length / kept.size).toFixed(3) : null,
  missing, starProxies, keptList: [...kept].sort(),
}));
