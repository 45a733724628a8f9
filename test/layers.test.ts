// The tree's layers, read from the sources: cli -> core -> sys, one way; koffi only in src/sys; no command-line
// words in core (its errors carry facts, and cli words the fix: src/cli/explain.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/index.js';

const SRC = join(ROOT, 'src');

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The modules a source imports: import/export ... from, import(), and require()/createRequire(...)() of a literal. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:require|\))\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.push(spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec);
  }
  return out;
}

const layer = (path: string) => (path.startsWith('cli/') ? 'cli' : path.startsWith('core/') ? 'core' : path.startsWith('sys/') ? 'sys' : 'root');
/** What each layer may import from the project: its own layer, and the layers below it. */
const MAY: Record<string, string[]> = { cli: ['cli', 'core'], core: ['core', 'sys'], sys: ['sys'], root: ['core'] };

test('imports go one way, cli -> core -> sys, and only src/sys imports koffi', () => {
  const files = sources();
  assert.ok(files.length > 30, 'found the sources');
  const wrong: string[] = [];
  let koffi = 0;
  for (const file of files) {
    const from = relative(SRC, file);
    for (const spec of importsOf(file)) {
      if (spec === 'koffi') {
        koffi++;
        if (layer(from) !== 'sys') wrong.push(`${from} imports koffi`);
      } else if (spec.endsWith('.ts') && !MAY[layer(from)]!.includes(layer(spec))) {
        wrong.push(`${from} (${layer(from)}) imports ${spec} (${layer(spec)})`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(koffi > 0, 'src/sys imports koffi (the test reads imports at all)');
});

test('core names no command and no option: no "shmkit <word>" and no "--word" in its sources', () => {
  const found: string[] = [];
  for (const file of sources(join(SRC, 'core'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/\bshmkit [a-z]/.test(line) || /--[a-z]/.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});

test('every source file is one job of at most 300 lines', () => {
  const long = sources().map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 300);
  assert.deepEqual(long, []);
});
