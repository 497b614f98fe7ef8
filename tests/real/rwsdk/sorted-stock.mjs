// Test helper for tests/real/test_rwsdk.sh, used as
//   node --import ./sorted-stock.mjs node_modules/vite/bin/vite.js build
// RedwoodSDK's own runDirectivesScan runs unchanged; afterwards its two Sets
// are put in sorted order, the order dscan fills them in. Stock rwsdk fills
// them in discovery order, which changes the minified output (identifier
// names follow module order), so only this build can be compared byte for
// byte (hashes masked) with a dscan build: any remaining difference is a
// difference in what the two scans found, or in how the build went on.
import module from "node:module";

const SCAN_FILE = "/dist/vite/runDirectivesScan.mjs";

module.registerHooks({
  resolve(specifier, context, next) {
    const r = next(specifier, context);
    if (!specifier.includes("runDirectivesScan") || !r.url.endsWith(SCAN_FILE)) return r;
    // The same file under another URL ("?sorted-stock") is rwsdk's module itself.
    const original = JSON.stringify(`${r.url}?sorted-stock`);
    const src = `import * as o from ${original}; export * from ${original};
      export const runDirectivesScan = async (args) => {
        await o.runDirectivesScan(args);
        for (const s of [args.clientFiles, args.serverFiles]) {
          const v = [...s].sort(); s.clear(); for (const x of v) s.add(x);
        }
        process.stderr.write("sorted-stock: " + args.clientFiles.size + " client, " + args.serverFiles.size + " server modules\\n");
      };`;
    return { url: `data:text/javascript,${encodeURIComponent(src)}`, format: "module", shortCircuit: true };
  },
});
