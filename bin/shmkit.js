#!/usr/bin/env node
// Thin launcher for the command line. dist/shmkit.cjs is dist/cli/main.js bundled into one CommonJS file by
// scripts/bundle.js (npm run build, which `npm ci` runs through `prepare`), and dist/cmd/NAME.cjs each command alone. bin/package.json makes this file
// CommonJS: an ES-module entry point would start Node's ESM loader, which costs start-up time.
//
// Start-up (issue 6; measured in issue 13, Node 20 here: node -e 0 84 ms, this launcher 105 ms = 1.24x, a plain
// require() of the bundle 115 ms = 1.36x): compiling the bundle is most of what a command costs beyond Node itself.
//  - Node 22 and later: module.enableCompileCache() keeps V8's code cache per user, for this Node and this very file
//    wherever it is installed, and the bundle is require()d.
//  - Node 20: the bundle is compiled through vm.Script from the code cache made at build time beside it
//    (dist/shmkit.cjs.v8cache, by scripts/code-cache.cjs), where V8 takes it (the same V8); else from source.
//  - SHMKIT_DEBUG set: the bundle is require()d with source maps on, so that stack traces name src/ files and lines
//    (a code cache would name the file the cache was made from).
// node:module is loaded only on Node 22 and later (its public module costs a millisecond or two); on Node 20 the
// wrapper below is Module.wrap's.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const dist = join(__dirname, '..', 'dist');

/**
 * The bundle to run for these arguments: the named command's own (dist/cmd/NAME.cjs, that command alone: issue 18)
 * where dist/cmd/names.json knows the word, as src/cli/program.ts finds it (the first that is not an option), and the
 * whole program (dist/shmkit.cjs) for help, completion, no command or an unknown word.
 */
function bundleFor(args) {
  const word = args.find((a) => !a.startsWith('-'));
  if (word !== undefined) {
    try {
      const names = JSON.parse(readFileSync(join(dist, 'cmd', 'names.json'), 'latin1'));
      if (Object.hasOwn(names, word)) return join(dist, 'cmd', `${names[word]}.cjs`);
    } catch {
      // no per-command bundles: the whole program
    }
  }
  return join(dist, 'shmkit.cjs');
}

/** A bundle compiled as a CommonJS module's function, from cachedData where V8 takes it. */
function compile(file, cachedData) {
  const { Script } = require('node:vm');
  // The bundle is ASCII (esbuild escapes the rest), so latin1 reads it without UTF-8 decoding. It has no import(): it
  // runs as a CommonJS module would, with our require (it only requires builtins and, by path, koffi).
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'latin1')}\n});`;
  return new Script(source, { filename: file, cachedData });
}

/** Runs what compile() made of file, as the module it stands for. */
function run(script, file) {
  const bundle = { exports: {}, id: file, filename: file };
  script.runInThisContext()(bundle.exports, require, bundle, file, dirname(file));
}

if (require.main !== module) {
  // scripts/code-cache.cjs, at build time: it runs commands through these and writes the cache.
  module.exports = { compile, run };
} else if (process.env.SHMKIT_DEBUG) {
  process.setSourceMapsEnabled(true);
  require(join(dist, 'shmkit.cjs'));
} else if (Number(process.versions.node.split('.')[0]) >= 22) {
  require('node:module').enableCompileCache?.();
  require(bundleFor(process.argv.slice(2)));
} else {
  const file = bundleFor(process.argv.slice(2));
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.v8cache`);
  } catch {
    // no cache: compile from source
  }
  run(compile(file, cachedData), file);
}
