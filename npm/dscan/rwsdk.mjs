// dscan/rwsdk: makes RedwoodSDK run dscan for its directive scans, with no
// installed file edited (SPEC §5c):
//
//   node --import dscan/rwsdk node_modules/vite/bin/vite.js build|dev
//   NODE_OPTIONS="--import dscan/rwsdk" vite build
//
// rwsdk's buildApp, directiveModulesDevPlugin and miniflareHMRPlugin import
// `runDirectivesScan` from its dist/vite/runDirectivesScan.mjs. A module
// resolve hook (rwsdk-hooks.mjs) sends that one import to rwsdk-scan.mjs,
// which runs dscan and keeps every other export of rwsdk's module. The hook
// decides per rwsdk copy, when rwsdk first loads that module: a version not
// in TESTED_RWSDK or no runnable binary → one warning line, rwsdk's own scan.
//
// DSCAN_RWSDK=off: nothing is registered.
import module from "node:module";
import { isMainThread } from "node:worker_threads";

const off = /^(off|0|false|no)$/i.test(process.env.DSCAN_RWSDK ?? "");

// Worker threads inherit --import; rwsdk's scan runs in the main thread only,
// so they are left without hooks (and without their cost).
if (!off && isMainThread) {
  const hooks = new URL("./rwsdk-hooks.mjs", import.meta.url);
  if (typeof module.registerHooks === "function") {
    // Node >= 22.15: synchronous hooks in this thread, no loader thread.
    const { resolve } = await import(hooks.href);
    module.registerHooks({ resolve });
  } else if (typeof module.register === "function") {
    module.register(hooks.href);
  } else {
    process.stderr.write(`dscan/rwsdk: warning: Node ${process.version} has no module hooks; RedwoodSDK's own scan is used\n`);
  }
}
