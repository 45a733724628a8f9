#!/usr/bin/env node
// Thin launcher for the command line. dist/shmkit.cjs is dist/cli/main.js bundled into one CommonJS file by
// scripts/bundle.js (npm run build, which `npm ci` runs through `prepare`), with V8's code cache for it beside it:
// compiling the bundle from the cache instead of from source saves a few ms of every start-up (issue 6). A cache
// made by another Node or V8 is rejected by V8 and the source is compiled as usual. bin/package.json makes this file
// CommonJS: an ES-module entry point would start Node's ESM loader, which also costs start-up time.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, '..', 'dist', 'shmkit.cjs');
let cachedData;
try {
  cachedData = readFileSync(`${file}.v8cache`);
} catch {
  // no cache: compile from source
}
// The bundle has no import(); it runs as a CommonJS module would, with its own require, module and __filename.
const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const module_ = { exports: {}, id: file, filename: file };
script.runInThisContext()(module_.exports, createRequire(file), module_, file, dirname(file));
