#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `npm ci` through `prepare`).
import * as nodeModule from 'node:module';
// Node 22.1+ can cache compiled code between runs; on Node 20 this is absent and costs nothing.
if (typeof nodeModule.enableCompileCache === 'function') {
  try { nodeModule.enableCompileCache(); } catch { /* a read-only cache directory must not stop the tool */ }
}
await import('../dist/cli/main.js');
