// Options mapping: scanDirectives options → dscan argv/config, Vite resolved
// config → options, alias translation. No native binary needed.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { buildInvocation, normalizeModulePath, translateAlias, viteToDscanOptions } from "../index.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dscan-opt-"));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

test("flags only: no options on stdin", () => {
  const inv = buildInvocation({ root: tmp, entries: ["src/a.tsx"], srcDir: "app", mode: "development", threads: 2 });
  assert.equal(inv.optionsJson, null);
  assert.deepEqual(inv.args, ["scan", tmp, "--json", "--stats", "--quiet",
    "--entry", path.join(tmp, "src/a.tsx"), "--src", path.join(tmp, "app"), "--mode", "development", "-j", "2"]);
});

test("root defaults to the current directory; noPrescan and config pass through", () => {
  const inv = buildInvocation({ noPrescan: true, config: "x/dscan.json" });
  assert.equal(inv.root, process.cwd());
  assert.deepEqual(inv.args.slice(1), [process.cwd(), "--json", "--stats", "--quiet",
    "--config", path.resolve("x/dscan.json"), "--no-prescan"]);
});

test("config-only options go to --options-json - as given; the binary lays them over dscan.json", () => {
  const inv = buildInvocation({
    root: tmp,
    environments: { worker: { conditions: ["workerd", "react-server"] }, client: { mainFields: ["browser"] } },
    extensions: [".ts", ".js"],
    alias: { "@": "./src", "~lib": "/abs/lib" },
    external: ["cloudflare:workers"],
    tsconfig: "tsconfig.app.json",
  });
  assert.deepEqual(inv.optionsJson, {
    environments: { worker: { conditions: ["workerd", "react-server"] }, client: { mainFields: ["browser"] } },
    extensions: [".ts", ".js"],
    alias: [{ find: "@", replacement: "./src" }, { find: "~lib", replacement: "/abs/lib" }],
    external: ["cloudflare:workers"],
    tsconfig: "tsconfig.app.json",
  });
  assert.deepEqual(inv.args.slice(5), ["--options-json", "-"]);
});

test("the user's dscan.json is never read or rewritten by the package", () => {
  const root = fs.mkdtempSync(path.join(tmp, "r-"));
  fs.writeFileSync(path.join(root, "dscan.json"), "{ nope");
  const inv = buildInvocation({ root, external: ["x"] });
  assert.deepEqual(inv.optionsJson, { external: ["x"] });
  assert.ok(!inv.args.includes("--config"), "dscan finds ROOT/dscan.json itself");
  const withConfig = buildInvocation({ root, config: "c.json", external: ["x"] });
  assert.deepEqual(withConfig.args.slice(5, 9), ["--config", path.resolve("c.json"), "--options-json", "-"]);
});

test("bad options are TypeErrors naming the option", () => {
  const cases = [
    [{ bogus: 1 }, /unknown option 'bogus'/],
    [{ root: 3 }, /invalid option 'root'/],
    [{ entries: "src/a.ts" }, /invalid option 'entries': expected an array of strings/],
    [{ mode: "dev" }, /invalid option 'mode'/],
    [{ environments: { ssr: {} } }, /'worker' or 'client', not 'ssr'/],
    [{ environments: { worker: { conditions: [1] } } }, /environments.worker.conditions/],
    [{ environments: { worker: { alias: [] } } }, /not 'alias'/],
    [{ extensions: ["ts"] }, /starting with '.'/],
    [{ alias: [{ find: /^(a|b)$/, replacement: "x" }] }, /invalid option 'alias': alias \/\^\(a\|b\)\$\//],
    [{ threads: 0 }, /invalid option 'threads'/],
    [{ noPrescan: true, srcDir: "src" }, /exclude each other/],
    ["src", /options must be an object/],
  ];
  for (const [opts, re] of cases) assert.throws(() => buildInvocation(opts), (e) => e instanceof TypeError && re.test(e.message), String(re));
});

test("RegExp aliases: the usual prefix and exact forms translate, others are unmapped", () => {
  const { alias, unmapped } = translateAlias([
    { find: /^@\/(.*)$/, replacement: "/app/src/$1" },
    { find: /^~\//, replacement: "/app/lib/" },
    { find: /^@components\/(.+)/, replacement: "/app/c/$1" },
    { find: /^\/?@vite\/env/, replacement: "/@fs/x/env.mjs" }, // Vite's own: skipped
    { find: /^react$/, replacement: "preact/compat" },
    { find: /^react\-dom\/client$/, replacement: "/n/react-dom/client.js" },
    { find: /^@\/(.*)$/i, replacement: "/app/src/$1" },
    { find: /^(a|b)$/, replacement: "c" },
    { find: /^a.b$/, replacement: "c" },
    { find: "lodash", replacement: "lodash-es" },
  ]);
  assert.deepEqual(alias, [
    { find: "@", replacement: "/app/src" },
    { find: "~", replacement: "/app/lib" },
    { find: "@components", replacement: "/app/c" },
    { find: "react$", replacement: "preact/compat" },
    { find: "react-dom/client$", replacement: "/n/react-dom/client.js" },
    { find: "lodash", replacement: "lodash-es" },
  ]);
  assert.equal(unmapped.length, 3);
  assert.match(unmapped[0], /\/\^@\\\/\(\.\*\)\$\/i/);
  assert.match(unmapped[1], /\/\^\(a\|b\)\$\//);
});

test("Vite mapping: rwsdk's per-side React pins and its own plugins are quiet", () => {
  const a = viteArgs();
  const pin = (find, file) => ({ find, replacement: `/app/node_modules/.pnpm/x/node_modules/${file}` });
  a.environments.worker.config.resolve.alias = [...viteAlias, pin(/^react$/, "react/react.react-server.js"),
    pin(/^react\-server\-dom\-webpack\/server\.edge$/, "react-server-dom-webpack/server.edge.js"),
    { find: /^shared$/, replacement: "/app/src/shared.ts" }, { find: /^mock$/, replacement: "/app/mock.ts" }];
  a.environments.client.config.resolve.alias = [...viteAlias, pin(/^react$/, "react/index.js"),
    { find: /^shared$/, replacement: "/app/src/shared.ts" }, { find: /^cmock$/, replacement: "/app/cmock.ts" }];
  a.environments.worker.plugins.push({ name: "rwsdk:use-client-lookup", resolveId() {} },
    { name: "vite-plugin-cloudflare:nodejs-compat", resolveId() {} });
  const { options, unmapped } = viteToDscanOptions(a);
  assert.deepEqual(options.alias, [{ find: "@", replacement: "/app/src" }, { find: "shared$", replacement: "/app/src/shared.ts" },
    { find: "mock$", replacement: "/app/mock.ts" }]);
  assert.deepEqual(unmapped, [
    "alias 'mock$' → '/app/mock.ts' is the worker's only; dscan applies it to both sides",
    "alias 'cmock$' → '/app/cmock.ts' is the client's only; dscan does not apply it",
    "plugin 'my-virtual' (worker, client) has a resolveId hook; dscan resolves without it",
  ]);
});

// A Vite environment as Vite 7's createBuilder resolves it (shape measured).
function viteEnv(name, resolve, extra = {}) {
  return { name, config: { resolve, build: extra.build ?? {} }, plugins: extra.plugins ?? [] };
}
const viteAlias = [
  { find: /^@\/(.*)$/, replacement: "/app/src/$1" },
  { find: /^\/?@vite\/env/, replacement: "/@fs/vite/dist/client/env.mjs" },
  { find: /^\/?@vite\/client/, replacement: "/@fs/vite/dist/client/client.mjs" },
];
const exts = [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json"];
function viteArgs(over = {}) {
  return {
    rootConfig: { root: "/app", mode: "production", isProduction: true, resolve: { alias: viteAlias } },
    environments: {
      worker: viteEnv("worker", {
        conditions: ["workerd", "react-server", "module", "node", "workerd", "worker", "module", "browser", "development|production"],
        mainFields: ["module", "jsnext:main", "jsnext"], extensions: exts, alias: viteAlias,
        builtins: ["cloudflare:workers", "cloudflare:sockets", /^node:/, "fs"],
      }, {
        build: { rollupOptions: { input: { index: "src/worker.tsx", v: "virtual:x" } } },
        plugins: [{ name: "vite:resolve", resolveId() {} }, { name: "vite-tsconfig-paths", resolveId() {} },
          { name: "my-virtual", resolveId() {} }, { name: "no-resolve" }],
      }),
      client: viteEnv("client", {
        conditions: ["browser", "module", "browser", "module"],
        mainFields: ["browser", "module", "jsnext:main", "jsnext"], extensions: exts, alias: viteAlias, builtins: [],
      }, { plugins: [{ name: "builtin:vite-resolve", resolveId: {} }, { name: "my-virtual", resolveId() {} }] }),
      ssr: viteEnv("ssr", {}),
    },
    ...over,
  };
}

test("Vite resolved config → options, as rwsdk resolves", () => {
  const { options, unmapped } = viteToDscanOptions(viteArgs());
  assert.deepEqual(options, {
    root: "/app",
    entries: ["src/worker.tsx"], // virtual: entries are dropped, as rwsdk does
    srcDir: "src",
    mode: "production",
    environments: {
      worker: { conditions: ["workerd", "react-server", "module", "node", "worker", "browser", "development|production"], mainFields: ["module", "jsnext:main", "jsnext"] },
      client: { conditions: ["browser", "module"], mainFields: ["browser", "module", "jsnext:main", "jsnext"] },
    },
    alias: [{ find: "@", replacement: "/app/src" }],
    external: ["cloudflare:email", "cloudflare:sockets", "cloudflare:workers", "cloudflare:workflows"],
    extensions: exts,
  });
  assert.deepEqual(unmapped, ["plugin 'my-virtual' (worker, client) has a resolveId hook; dscan resolves without it"]);
  // The mapped options are valid scanDirectives options.
  assert.ok(buildInvocation(options).optionsJson);
});

test("Vite mapping: explicit entries win, rolldown input, development mode", () => {
  const a = viteArgs({ entries: ["src/other.ts"] });
  assert.deepEqual(viteToDscanOptions(a).options.entries, ["src/other.ts"]);
  const b = viteArgs();
  b.environments.worker.config.build = { rolldownOptions: { input: ["src/a.ts", "src/b.ts"] } };
  b.rootConfig = { ...b.rootConfig, mode: "development", isProduction: false };
  const { options } = viteToDscanOptions(b);
  assert.deepEqual(options.entries, ["src/a.ts", "src/b.ts"]);
  assert.equal(options.mode, "development");
  const c = viteArgs();
  c.environments.worker.config.build = { rollupOptions: { input: "src/one.ts" } };
  delete c.rootConfig.isProduction;
  c.rootConfig.mode = "development";
  assert.deepEqual(viteToDscanOptions(c).options.entries, ["src/one.ts"]);
  assert.equal(viteToDscanOptions(c).options.mode, "development");
});

test("Vite mapping: unmappable RegExp alias and differing extensions are reported", () => {
  const a = viteArgs();
  const alias = [...viteAlias, { find: /^(react|react-dom)$/, replacement: "preact/compat" }];
  a.environments.worker.config.resolve.alias = alias;
  a.environments.client.config.resolve.extensions = [".js"];
  const { unmapped } = viteToDscanOptions(a);
  assert.equal(unmapped.length, 3);
  assert.match(unmapped[0], /client resolve.extensions/);
  assert.match(unmapped[1], /alias \/\^\(react\|react-dom\)\$\//);
});

test("Vite mapping: missing environments are a TypeError", () => {
  assert.throws(() => viteToDscanOptions({ rootConfig: { root: "/a" }, environments: { worker: {} } }), TypeError);
  assert.throws(() => viteToDscanOptions({ environments: {} }), TypeError);
});

test("normalizeModulePath writes paths as rwsdk does", () => {
  assert.equal(normalizeModulePath("/app/src/a.tsx", "/app"), "/src/a.tsx");
  assert.equal(normalizeModulePath("/app/node_modules/x/i.js", "/app/"), "/node_modules/x/i.js");
  assert.equal(normalizeModulePath("/app2/x.js", "/app"), "/app2/x.js");
  assert.equal(normalizeModulePath("/shared/u.ts", "/app"), "/shared/u.ts");
  assert.equal(normalizeModulePath("/app", "/app"), "/");
});

test("precise passes through as --precise; false adds nothing", () => {
  assert.ok(buildInvocation({ root: tmp, precise: true }).args.includes("--precise"));
  assert.ok(!buildInvocation({ root: tmp, precise: false }).args.includes("--precise"));
  assert.throws(() => buildInvocation({ precise: 1 }), /invalid option 'precise': expected a boolean/);
});
