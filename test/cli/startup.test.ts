// What a command loads when it starts (issue 6). Not a time, which a test must not assert, but the things whose
// loading the start-up time was measured to be made of: the ES-module loader, fs.promises and streams pulled in by an
// ES import of node:fs, commander's child_process, chalk and string-width for --json, koffi's JavaScript loader, and
// the unbundled dist/. npm run bench has the times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, requires, ROOT, tempDir } from '../helpers/index.js';

const dir = tempDir();
const probe = join(dir, 'probe.cjs');
writeFileSync(probe, `process.on('exit', () => {
  require('node:fs').writeSync(2, '\\nPROBE ' + JSON.stringify({
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
    files: Object.keys(require.cache),
    addons: [...new Set(require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.endsWith('.node')).map((l) => l.slice(l.indexOf('/'))))],
  }) + '\\n');
});
`);

// In a new IPC namespace, "no segments" is certain (and koffi is not needed to list none).

function loads(args: string[]): { builtins: string[]; files: string[]; addons: string[] } {
  const r = spawnSync('unshare', ['--ipc', process.execPath, '--require', probe, BIN, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stderr.split('\n').find((l) => l.startsWith('PROBE '));
  assert.ok(line, r.stderr);
  const got = JSON.parse(line.slice(6)) as { builtins: string[]; files: string[]; addons: string[] };
  return { builtins: got.builtins, files: got.files.map((f) => (f.startsWith(ROOT) ? f.slice(ROOT.length + 1) : f)), addons: got.addons };
}

const NEVER = ['module', 'internal/modules/esm/translators', 'internal/modules/esm/module_job', 'internal/fs/promises', 'stream', 'child_process', 'tty', 'net', 'readline'];

for (const [args, koffi] of [[['info', '--json'], false], [['list', '--json'], false], [['info', '--json', '--source', 'kernel'], true]] as const) {
  test(`${args.join(' ')} loads one bundle, ${koffi ? "koffi's addon without koffi's loader" : 'not koffi'}, and none of ${NEVER.length} costly builtins`, { skip: requires(['unshare']) }, () => {
    const { builtins, files, addons } = loads([...args]);
    for (const b of NEVER) assert.ok(!builtins.includes(b), `${b} is not loaded`);
    assert.deepEqual(files.filter((f) => f !== probe), ['bin/shmkit.js'], 'the launcher only: dist/shmkit.cjs runs from it, not as a module of its own');
    assert.deepEqual(addons.map((a) => a.endsWith('/koffi.node')), koffi ? [true] : [], 'the addon, mapped');
    assert.ok(!files.some((f) => f.includes('node_modules/koffi/')), "koffi's own loader is skipped");
  });
}

test('SHMKIT_DEBUG=1: the stack trace of an error names the src/ files and lines it came from', () => {
  const r = spawnSync(process.execPath, [BIN, 'stat', '--id', '2147483647'], { encoding: 'utf8', env: { ...process.env, SHMKIT_DEBUG: '1' } });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^shmkit: stat: no segment has id 2147483647: EINVAL/);
  assert.match(r.stderr, /\n {4}at \S+ \(\S*\/src\/core\/control\.ts:\d+:\d+\)\n/, 'a frame in src/core/control.ts');
  assert.doesNotMatch(r.stderr, /dist\/shmkit\.cjs/);
});

test('each name and alias runs its own bundle, which holds the same command as the whole program', () => {
  const names = JSON.parse(readFileSync(join(ROOT, 'dist', 'cmd', 'names.json'), 'utf8')) as Record<string, string>;
  assert.ok(Object.keys(names).length >= 25, 'every command but completion, and their aliases');
  for (const [word, bundle] of Object.entries(names)) {
    assert.ok(existsSync(join(ROOT, 'dist', 'cmd', `${bundle}.cjs`)), `${word}: dist/cmd/${bundle}.cjs`);
    // `help WORD` runs the whole program (dist/shmkit.cjs); `WORD --help` the command's own bundle.
    const whole = spawnSync(process.execPath, [BIN, 'help', word], { encoding: 'utf8' });
    const own = spawnSync(process.execPath, [BIN, word, '--help'], { encoding: 'utf8' });
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.stdout, whole.stdout, `${word}: the same help from both`);
  }
});
