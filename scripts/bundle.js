#!/usr/bin/env node
// npm run build, after tsc: bundles the CLI (dist/cli/main.js and all it imports, commander, chalk and string-width
// included) into one CommonJS file, dist/shmkit.cjs, and each command alone into dist/cmd/NAME.cjs; bin/shmkit.js runs
// the command's own bundle where the arguments name one, and the whole program otherwise.
//
// Why (issue 6, start-up within 1.25x of `node -e 0`; measured on Node 20, see README "Performance"):
// - ~40 ES modules cost ~1 ms each to resolve, read and link; one file costs one read and one compile.
// - Node 20 builds an ES-module facade for every `import ... from 'node:fs'`, reading every export, so the lazy
//   getters of fs (fs.promises: streams, readline) run: ~15 ms. A require() of a builtin does not.
// - An ES-module entry point starts Node's ESM loader (~7 ms); a CommonJS one does not.
// - commander requires child_process at load time for executable subcommands, which shmkit does not use: it is
//   made lazy here, loaded on first use (the demo command spawns with it). So is node:module, which only koffi's
//   fallback loader needs (its public module costs a millisecond or two to load).
// The library (dist/index.js) stays unbundled ESM; only the command line is bundled. koffi is left external: it
// loads a native addon and is loaded on first use (src/sys/load.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const builtins = new Set(builtinModules);
const lazy = new Set(['child_process', 'module']);
const requireHere = createRequire(import.meta.url);

/** Turns `import x from 'node:fs'` into require('node:fs'), and makes the builtins in `lazy` load on first use. */
const builtinsAsRequire = {
  name: 'builtins-as-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtins.has(name)) return undefined;
      // Inside our own shim, the require() of the builtin itself is the real one.
      // A require() from CommonJS code (commander) stays a plain require(): no shim, nothing copied.
      if (args.namespace === 'builtin' || (args.kind === 'require-call' && !lazy.has(name))) return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
      loader: 'js',
      contents: lazy.has(path)
        ? lazyShim(path)
        : eagerShim(path),
    }));
  },
};

/** shmkit-command:NAME: an entry that starts the program with that one command (src/cli/start.ts). */
const commandEntries = {
  name: 'command-entries',
  setup(b) {
    b.onResolve({ filter: /^shmkit-command:/ }, (args) => ({ path: args.path.slice('shmkit-command:'.length), namespace: 'shmkit-command' }));
    b.onLoad({ filter: /.*/, namespace: 'shmkit-command' }, ({ path }) => ({
      resolveDir: join(root, 'dist', 'cli'),
      loader: 'js',
      contents: `import { start } from './start.js';\nimport { register } from './commands/${path}.js';\nstart({ ${JSON.stringify(path)}: register });\n`,
    }));
  },
};

/** The builtin's own properties that can be named exports and whose descriptor passes keep, read from this Node. */
function exportable(name, keep) {
  const mod = requireHere(`node:${name}`);
  return Object.getOwnPropertyNames(mod).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default' &&
    keep(Object.getOwnPropertyDescriptor(mod, k)));
}

/**
 * An ES module that re-exports a builtin's functions and constants by name. Importing a CommonJS shim from ES code
 * would make esbuild copy every property of the builtin onto a namespace object at start-up (__toESM), ~100 for fs.
 * The names are read here, from the Node that builds; getters (fs.promises) are left out so that none runs.
 */
function eagerShim(name) {
  const names = exportable(name, (d) => 'value' in d);
  return [`const m = require('node:${name}');`, 'export default m;', ...names.map((k) => `export const ${k} = m.${k};`)].join('\n');
}

/**
 * An ES module standing for a builtin that is loaded on first use: each function it exports is a wrapper that loads
 * the builtin when called (so esbuild's copying of exports for CommonJS callers loads nothing). Only functions: the
 * lazy builtins are used for a function or two each (child_process.spawn, module.createRequire).
 */
function lazyShim(name) {
  const names = exportable(name, (d) => typeof d.value === 'function');
  return [
    'let m;',
    `const get = () => (m ??= require('node:${name}'));`,
    'export default new Proxy({}, { get: (_, k) => get()[k] });',
    ...names.map((k) => `export const ${k} = (...args) => get().${k}(...args);`),
  ].join('\n');
}

// What every bundle shares. Identifiers are minified too: the less source there is to read and hash, the less a start-up
// costs (SHMKIT_DEBUG's source map still names src/); error classes set their names themselves.
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['koffi'],
  plugins: [builtinsAsRequire, commandEntries],
  // import.meta.url (src/sys/load.ts finds koffi from it) becomes the bundle's own URL; dist/ is where the module was.
  define: { 'import.meta.url': '__shmkit_bundle_url' },
  banner: { js: "'use strict';\nconst __shmkit_bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'eof',
  minify: true,
  logLevel: 'warning',
};

// The whole program: help, completion, unknown words, SHMKIT_DEBUG. For SHMKIT_DEBUG's stack traces, the map leads
// through tsc's maps of dist/ to src/ (sources only, not their text).
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: 'dist/shmkit.cjs', sourcemap: 'linked', sourcesContent: false });

// One bundle per command, dist/cmd/NAME.cjs, holding that command alone (issue 18: a start-up reads, hashes and runs
// less than half the whole program's code), and dist/cmd/names.json, every name and alias to its bundle's name, which
// the launcher reads to choose. The same dist/ modules as the whole program: only the entry differs.
const { COMMAND_NAMES } = await import(join(root, 'dist', 'cli', 'command-names.js'));
const own = Object.keys(COMMAND_NAMES).filter((name) => name !== 'completion'); // completion reads the whole program
rmSync(join(root, 'dist', 'cmd'), { recursive: true, force: true });
await build({ ...common, entryPoints: own.map((name) => ({ in: `shmkit-command:${name}`, out: name })), outdir: 'dist/cmd', outExtension: { '.js': '.cjs' } });
writeFileSync(join(root, 'dist', 'cmd', 'names.json'), JSON.stringify(Object.fromEntries(own.flatMap((name) => COMMAND_NAMES[name].map((n) => [n, name])))));

// V8's code cache for each bundle, read by bin/shmkit.js on Node 20. scripts/code-cache.cjs writes it, at the exit of
// commands run here one after another through the launcher's own compile() and run(), each starting from the cache
// the last one wrote: it then holds the bytecode of what start-up and those commands compile, not only the bundle's
// top level. list and info run read-only for real; every other command runs up to its refusal of an unknown option
// (declaring it, parsing, and the error's one line), which does nothing. Made with the Node that builds, which is
// the one that runs it after `npm ci`; another V8 rejects it and compiles from source (Node 22 and later use
// module.enableCompileCache() instead).
const warm = (name) => (name === 'list' || name === 'info' ? [[name, '--json'], [name, '--json']] : [[name, '--shmkit-code-cache']]);
const bundles = [[join(root, 'dist', 'shmkit.cjs'), [['--version'], ['list', '--json'], ['info', '--json'], ['list', '--json'], ['info', '--json']]],
  ...own.map((name) => [join(root, 'dist', 'cmd', `${name}.cjs`), warm(name)])];
for (const [bundle, runs] of bundles) {
  const source = readFileSync(bundle, 'utf8');
  if (/[^\w$.]import\(/.test(source)) throw new Error(`${bundle} has an import(): bin/shmkit.js runs it without an ES-module loader`);
  if (/[^\x00-\x7f]/.test(source)) throw new Error(`${bundle} is not ASCII: bin/shmkit.js reads it as latin1`);
  const cache = `${bundle}.v8cache`;
  rmSync(cache, { force: true });
  for (const args of runs) {
    spawnSync(process.execPath, [join(root, 'scripts', 'code-cache.cjs'), bundle, cache, ...args], { stdio: 'ignore' });
  }
}
