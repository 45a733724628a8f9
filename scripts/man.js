#!/usr/bin/env node
// Writes man/*.1 from the built program (npm run man). `--check` exits 1 if a page on disk differs.
import { readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { buildProgram, VERSION } = await import(join(root, 'dist', 'cli', 'program.js'));
const { ALL_COMMANDS } = await import(join(root, 'dist', 'cli', 'commands', 'all.js'));
const { manPages } = await import(join(root, 'dist', 'cli', 'man.js'));
const pages = manPages(buildProgram(() => {}, undefined, ALL_COMMANDS), VERSION);
const check = process.argv.includes('--check');
let stale = 0;
const names = new Set(pages.map(([name]) => name));
for (const [name, text] of pages) {
  const file = join(root, 'man', name);
  let old = null;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // new page
  }
  if (old === text) continue;
  stale++;
  if (check) console.error(`man/${name} is out of date: run npm run man`);
  else writeFileSync(file, text);
}
for (const file of readdirSync(join(root, 'man'))) {
  if (file.endsWith('.1') && !names.has(file)) {
    stale++;
    if (check) console.error(`man/${file} has no command any more`);
    else rmSync(join(root, 'man', file));
  }
}
if (check && stale) process.exit(1);
if (!check) console.log(`man: ${pages.length} pages, ${stale} written`);
