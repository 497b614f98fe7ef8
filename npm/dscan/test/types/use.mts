// Type check of index.d.ts from a consumer's side (tests/real/test_npm.sh runs tsc --strict on it).
import { scanDirectives, runDirectivesScan, DscanError, viteToDscanOptions, type ScanResult } from "dscan";
const r: ScanResult = await scanDirectives({ root: "/x", alias: { "@": "./src" }, environments: { worker: { conditions: ["a"] } } });
const n: number = r.stats.modules + r.client.length;
const clientFiles = new Set<string>(), serverFiles = new Set<string>();
const out = await runDirectivesScan({ rootConfig: { root: "/x" }, environments: { worker: { config: {} }, client: { config: {} } }, clientFiles, serverFiles });
out.unresolved.forEach((u) => u.env === "client");
try { await scanDirectives({ mode: "production" }); } catch (e) { if (e instanceof DscanError) console.log(e.exitCode, n); }
viteToDscanOptions({ rootConfig: { root: "/x" }, environments: { worker: { config: {} }, client: { config: {} } } }).options.entries;
