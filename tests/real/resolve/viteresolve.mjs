// viteresolve.mjs APPDIR REQUESTS.tsv
// Resolves each line "IMPORTER<TAB>SPECIFIER<TAB>worker|client<TAB>import|require"
// with Vite's own resolver: real Vite environments (vite.createBuilder, as
// bench/reference/rwsdk-scan.mjs builds them for RedwoodSDK: worker =
// server consumer with dscan's default worker conditions, client = browser),
// then the `vite:resolve` plugin's resolveId called as rwsdk's scan calls it
// ({scan: true}, isRequire for require). Prints answers in `dscan resolve
// --batch` form: a path (query dropped), external:SPEC (builtins, externals,
// Vite's browser-external stub, which is also what the browser field's false
// gives: compare.mjs accepts it for dscan's empty:), or !reason (a missing
// optional peer dependency, which Vite replaces by a stub, is one).
import fs from 'node:fs';
import * as vite from 'vite';

const [app, file] = process.argv.slice(2);
process.env.NODE_ENV = 'production';
const builder = await vite.createBuilder({
  root: app, configFile: false, mode: 'production', logLevel: 'silent', appType: 'custom',
  ssr: { target: 'webworker' },
  environments: {
    worker: {
      consumer: 'server',
      resolve: {
        conditions: ['workerd', 'worker', 'react-server', 'module', 'node', 'browser', 'development|production'],
        noExternal: true, external: ['cloudflare:workers'],
      },
      build: { ssr: true },
    },
    // rwsdk's client conditions: no "development|production" (SPEC §4.6).
    client: { consumer: 'client', resolve: { conditions: ['browser', 'module'] } },
  },
});

const handlers = {};
for (const name of ['worker', 'client']) {
  const env = builder.environments[name];
  const p = env.plugins.find((x) => x.name === 'vite:resolve');
  const h = typeof p.resolveId === 'function' ? p.resolveId : p.resolveId.handler;
  const ctx = { environment: env, resolve: async () => null, error: (e) => { throw e instanceof Error ? e : new Error(String(e?.message ?? e)); }, warn() {}, debug() {}, info() {} };
  handlers[name] = (spec, importer, isRequire) =>
    h.call(ctx, spec, importer, { scan: true, isEntry: false, attributes: {}, custom: { 'node-resolve': { isRequire } } });
}

// SPEC §4.5: ids dscan never resolves, whatever plugin would handle them in a
// real app (virtual: modules come from plugins, not from Vite's resolver).
const neverResolved = (spec) => /^(virtual:|\0|https?:|data:|\/\/|cloudflare:workers(\/|$))/.test(spec) ||
  /[?&](url|raw|worker|sharedworker|inline)\b/.test(spec);

const out = [];
for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!l) continue;
  const [importer, spec, env = 'worker', kind = 'import'] = l.split('\t');
  let a;
  if (neverResolved(spec)) { out.push('external:' + spec); continue; }
  try {
    const r = await handlers[env](spec, importer, kind === 'require');
    const id = r == null ? null : typeof r === 'string' ? r : r.external ? '\0ext' : r.id;
    if (id == null) a = '!not resolved';
    // Vite stubs a missing optional peer dependency; dscan reports it unresolved.
    else if (id.startsWith('__vite-optional-peer-dep')) a = '!optional peer dependency not installed';
    else if (id.startsWith('\0') || id.startsWith('__vite-browser-external') || id === spec) a = 'external:' + spec;
    else a = id.replace(/[?#].*$/, '');
  } catch (e) {
    a = '!' + String(e.message).split('\n')[0];
  }
  out.push(a);
}
process.stdout.write(out.join('\n') + '\n');
