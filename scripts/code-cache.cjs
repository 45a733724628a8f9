#!/usr/bin/env node
// Build time only (scripts/bundle.js runs it): runs one shmkit command exactly as bin/shmkit.js does on Node 20 (its
// own compile() and run()), starting from the cache file given if there is one, and at exit writes V8's code cache
// of the bundle to that file. Run a few times, the cache holds what start-up and those commands compile, not only the
// bundle's top level.
//   node scripts/code-cache.cjs BUNDLE CACHE_FILE shmkit-arguments...
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { compile, run } = require('../bin/shmkit.js');

const [file, out, ...args] = process.argv.slice(2);
let cachedData;
try {
  cachedData = readFileSync(out);
} catch {
  // the first run: from source
}
const script = compile(file, cachedData);
process.on('exit', () => writeFileSync(out, script.createCachedData()));
process.argv = [process.argv[0], join(__dirname, '..', 'bin', 'shmkit.js'), ...args];
run(script, file);
