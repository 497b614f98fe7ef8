// bench/rwsdk/time-scan.mjs — for stock builds in bench/rwsdk/run.sh:
//   node --import ./time-scan.mjs node_modules/vite/bin/vite.js build|dev
// RedwoodSDK's own runDirectivesScan runs unchanged; each call prints
//   time-scan: MS ms, N client, M server modules
// measured from the call to its return, as dscan/rwsdk measures its own.
import module from "node:module";

const SCAN_FILE = "/dist/vite/runDirectivesScan.mjs";

module.registerHooks({
  resolve(specifier, context, next) {
    const r = next(specifier, context);
    if (!specifier.includes("runDirectivesScan") || !r.url.endsWith(SCAN_FILE)) return r;
    const original = JSON.stringify(`${r.url}?time-scan`); // rwsdk's module under another URL
    const src = `import * as o from ${original}; export * from ${original};
      export const runDirectivesScan = async (args) => {
        const t0 = performance.now();
        try { return await o.runDirectivesScan(args); }
        finally {
          process.stderr.write("time-scan: " + Math.round(performance.now() - t0) + " ms, " +
            args.clientFiles.size + " client, " + args.serverFiles.size + " server modules\\n");
        }
      };`;
    return { url: `data:text/javascript,${encodeURIComponent(src)}`, format: "module", shortCircuit: true };
  },
});
