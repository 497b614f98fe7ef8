// refresolve.mjs oxc|enhanced REQUESTS.tsv [--repeat N] [--quiet]
// Resolves each line "IMPORTER<TAB>SPECIFIER<TAB>worker|client<TAB>import|require"
// with oxc-resolver or enhanced-resolve configured as dscan is by default
// (SPEC §2): the environment's conditions plus import|require and default,
// with production only where the list holds "development|production" (the
// worker's; SPEC §4.6, as Vite); its mainFields then main; the same extensions; `browser`
// object maps on the client (aliasFields); the .js -> .ts/.tsx fallback as
// extensionAlias; symlinks resolved; Node builtins reported, not resolved.
// Prints one answer per line in `dscan resolve --batch` form: a path,
// external:SPEC, or !reason. With --repeat N, times the first pass (cold,
// fresh caches) and the mean of the others (warm) on stderr.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const [which, file, ...rest] = process.argv.slice(2);
const repeat = rest.includes('--repeat') ? Number(rest[rest.indexOf('--repeat') + 1]) : 1;
const quiet = rest.includes('--quiet');
const builtins = new Set(builtinModules);

const envs = {
  worker: {
    conditions: ['workerd', 'worker', 'react-server', 'module', 'node', 'browser', 'production'],
    mainFields: ['module', 'jsnext:main', 'jsnext'],
  },
  client: { conditions: ['browser', 'module'], mainFields: ['browser', 'module', 'jsnext:main', 'jsnext'] },
};
const extensions = ['.mjs', '.js', '.mts', '.ts', '.jsx', '.tsx', '.json'];
const extensionAlias = { '.js': ['.js', '.ts', '.tsx'], '.jsx': ['.jsx', '.tsx'], '.mjs': ['.mjs', '.mts'], '.cjs': ['.cjs', '.cts'] };

function options(env, kind) {
  const e = envs[env];
  return {
    conditionNames: [...e.conditions, kind, 'default'],
    mainFields: [...e.mainFields, 'main'],
    aliasFields: env === 'client' ? [['browser']] : [],
    extensions,
    extensionAlias,
    mainFiles: ['index'],
    symlinks: true,
  };
}

const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [importer, spec, env = 'worker', kind = 'import'] = l.split('\t');
  return { dir: path.dirname(importer), spec, env, kind: kind === 'require' ? 'require' : 'import' };
});

function isExternal(spec) {
  return /^(node|bun|deno|npm):/.test(spec) || builtins.has(spec) || spec === 'cloudflare:workers' || spec.startsWith('cloudflare:workers/') || /^(virtual:|https?:|data:|\/\/)/.test(spec) ||
    /[?&](url|raw|worker|sharedworker|inline)\b/.test(spec);
}

async function makeResolvers() {
  const r = {};
  if (which === 'oxc') {
    const { ResolverFactory } = await import('oxc-resolver');
    for (const env of ['worker', 'client'])
      for (const kind of ['import', 'require']) {
        const f = new ResolverFactory({ ...options(env, kind), builtinModules: true });
        r[env + kind] = (dir, spec) => {
          const res = f.sync(dir, spec);
          return res.path ? res.path : '!' + (res.error || 'not found');
        };
      }
  } else {
    const er = (await import('enhanced-resolve')).default;
    const cfs = new er.CachedInputFileSystem(fs, 4000);
    for (const env of ['worker', 'client'])
      for (const kind of ['import', 'require']) {
        const o = options(env, kind);
        const res = er.ResolverFactory.createResolver({ ...o, aliasFields: o.aliasFields.map((a) => a[0]), fileSystem: cfs, useSyncFileSystemCalls: true });
        r[env + kind] = (dir, spec) => {
          try {
            const p = res.resolveSync({}, dir, spec);
            return p === false ? 'empty:' + spec : p;
          } catch (e) {
            return '!' + String(e.message).split('\n')[0];
          }
        };
      }
  }
  return r;
}

let cold = 0, warm = 0;
for (let pass = 0; pass < repeat; pass++) {
  const r = await makeResolvers();
  // The first pass runs on fresh caches; later passes reuse the first's resolvers.
  const use = pass === 0 ? (globalThis.__r = r) : globalThis.__r;
  const out = [];
  const t0 = process.hrtime.bigint();
  for (const l of lines) {
    if (isExternal(l.spec)) { out.push('external:' + l.spec); continue; }
    out.push(use[l.env + l.kind](l.dir, l.spec));
  }
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  if (pass === 0) { cold = t; if (!quiet) process.stdout.write(out.join('\n') + '\n'); } else warm += t;
}
if (repeat > 1) {
  const w = warm / (repeat - 1);
  process.stderr.write(`${which}: ${lines.length} requests; cold ${cold.toFixed(3)} ms (${Math.round(lines.length / cold * 1e3)}/s); warm ${w.toFixed(3)} ms (${Math.round(lines.length / w * 1e3)}/s)\n`);
}
