// resolve.mjs APPDIR REQUESTS.tsv [production|development]
// Resolves each line "IMPORTER<TAB>SPECIFIER[<TAB>worker|client]" (IMPORTER
// absolute) with Vite 8's own resolver and `resolve.tsconfigPaths: true`.
// Vite 8 resolves in Rolldown (the native builtin:vite-resolve plugin, whose
// tsconfig lookup is oxc-resolver's), which JavaScript cannot call directly:
// a probe plugin asks `this.resolve` for every line in buildStart of a real
// build of each environment (nothing is written). Prints one answer per
// line, as `dscan resolve --batch` does: a path, external:SPEC, or !reason.
// The environments are RedwoodSDK's (as bench/reference/rwsdk-scan.mjs and
// tests/real/resolve/viteresolve.mjs build them): the worker's conditions
// hold "development|production", the client's ("browser", "module") do not,
// so the mode's condition applies to the worker only (SPEC §4.6).
import fs from 'node:fs';
import * as vite from 'vite';

const [app, file, mode = 'production'] = process.argv.slice(2);
process.env.NODE_ENV = mode;
const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
const answers = new Array(lines.length);

const probe = {
  name: 'dscan-probe',
  async buildStart() {
    const env = this.environment.name;
    for (let i = 0; i < lines.length; i++) {
      const [importer, spec, e = 'worker'] = lines[i];
      if (e !== env) continue;
      try {
        const r = await this.resolve(spec, importer, { skipSelf: true });
        answers[i] = r == null ? '!not resolved' : r.external ? 'external:' + spec : r.id.replace(/[?#].*$/, '');
      } catch (err) {
        answers[i] = '!' + String(err.message).split('\n')[0];
      }
    }
  },
  resolveId(id) { if (id === 'virtual:dscan-probe') return '\0dscan-probe'; },
  load(id) { if (id === '\0dscan-probe') return 'export {}'; },
};

const input = { rolldownOptions: { input: 'virtual:dscan-probe' }, write: false };
const builder = await vite.createBuilder({
  root: app, configFile: false, mode, logLevel: 'silent', appType: 'custom',
  resolve: { tsconfigPaths: true },
  plugins: [probe],
  environments: {
    worker: {
      consumer: 'server',
      resolve: {
        conditions: ['workerd', 'worker', 'react-server', 'module', 'node', 'browser', 'development|production'],
        noExternal: true, external: ['cloudflare:workers'],
      },
      build: { ssr: true, ...input },
    },
    client: { consumer: 'client', resolve: { conditions: ['browser', 'module'] }, build: input },
  },
});
for (const name of ['worker', 'client']) await builder.build(builder.environments[name]);
process.stdout.write(answers.map((a) => a ?? '!not asked').join('\n') + '\n');
