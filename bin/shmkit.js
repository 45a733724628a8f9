#!/usr/bin/env node
// Thin launcher for the command line. dist/shmkit.cjs is dist/cli/main.js bundled into one CommonJS file by
// scripts/bundle.js (npm run build, which `npm ci` runs through `prepare`), with V8's code cache for it beside it:
// compiling the bundle from the cache instead of from source saves a few ms of every start-up (issue 6). A cache
// made by another Node or V8 is rejected by V8 and the source is compiled as usual. bin/package.json makes this file
// CommonJS: an ES-module entry point would start Node's ESM loader, which also costs start-up time. node:module is
// not loaded either (its public module costs a millisecond or two): the wrapper below is Module.wrap's.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, '..', 'dist', 'shmkit.cjs');
let cachedData;
try {
  cachedData = readFileSync(`${file}.v8cache`);
} catch {
  // no cache: compile from source
}
// The bundle is ASCII (esbuild escapes the rest), so latin1 reads it without UTF-8 decoding. It has no import(): it
// runs as a CommonJS module would, with our require (it only requires builtins and, by path, koffi).
const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'latin1')}\n});`;
const script = new Script(source, { filename: file, cachedData });
// npm run build runs a few commands with this set to make the cache: it then holds what they compiled.
const cacheOut = process.env.SHMKIT_WRITE_CODE_CACHE;
if (cacheOut) process.on('exit', () => require('node:fs').writeFileSync(cacheOut, script.createCachedData()));
const bundle = { exports: {}, id: file, filename: file };
script.runInThisContext()(bundle.exports, require, bundle, file, dirname(file));
