// What a command loads when it starts (issue 6). Not a time, which a test must not assert, but the things whose
// loading the start-up time was measured to be made of: the ES-module loader, fs.promises and streams pulled in by an
// ES import of node:fs, commander's child_process, chalk and cli-table3 for --json, koffi's JavaScript loader, and
// the unbundled dist/. npm run bench has the times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir } from '../helpers/index.js';

const dir = tempDir();
const probe = join(dir, 'probe.cjs');
writeFileSync(probe, `process.on('exit', () => {
  require('node:fs').writeSync(2, '\\nPROBE ' + JSON.stringify({
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
    files: Object.keys(require.cache),
  }) + '\\n');
});
`);

// In a new IPC namespace, "no segments" is certain (and koffi is not needed to list none).
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--ipc', 'true']).status === 0;

function loads(args: string[]): { builtins: string[]; files: string[] } {
  const r = spawnSync('unshare', ['--ipc', process.execPath, '--require', probe, BIN, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stderr.split('\n').find((l) => l.startsWith('PROBE '));
  assert.ok(line, r.stderr);
  const got = JSON.parse(line.slice(6)) as { builtins: string[]; files: string[] };
  return { builtins: got.builtins, files: got.files.map((f) => (f.startsWith(ROOT) ? f.slice(ROOT.length + 1) : f)) };
}

const NEVER = ['internal/modules/esm/translators', 'internal/modules/esm/module_job', 'internal/fs/promises', 'stream', 'child_process', 'tty', 'net', 'readline'];

for (const [args, koffi] of [[['info', '--json'], true], [['list', '--json'], false]] as const) {
  test(`${args.join(' ')} loads one bundle, ${koffi ? "koffi's addon without koffi's loader" : 'not koffi'}, and none of ${NEVER.length} costly builtins`, { skip: !canUnshare && 'needs root and unshare' }, () => {
    const { builtins, files } = loads([...args]);
    for (const b of NEVER) assert.ok(!builtins.includes(b), `${b} is not loaded`);
    const ours = files.filter((f) => f !== probe);
    const addon = ours.filter((f) => f.endsWith('koffi.node'));
    assert.deepEqual(ours.filter((f) => !f.endsWith('koffi.node')), ['bin/shmkit.js'], 'the launcher only: dist/shmkit.cjs runs from it, not as a module of its own');
    assert.equal(addon.length, koffi ? 1 : 0, 'the addon');
    assert.ok(!files.some((f) => f.includes('node_modules/koffi/')), "koffi's own loader is skipped");
  });
}
