// The README's bash script, run as it stands: shmkit on PATH, set -euo pipefail, a trap that removes the segment,
// exit statuses tested with if, JSON through jq. Once where every step works, once where one fails half-way. It
// runs in an IPC namespace of its own, where what it counts and looks for is certain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BIN, ROOT, requires, tempDir } from '../helpers/index.js';


/** The first ```bash block of the README's "From bash scripts" section. */
function readmeScript(): string {
  const m = /^## From bash scripts\n[\s\S]*?^```bash\n([\s\S]*?)^```$/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(m, 'README has a bash script under "From bash scripts"');
  return m[1]!;
}

/** Runs the script on one argument in an IPC namespace of its own, then lists what segments are left there. */
function runScript(arg: string): { status: number; stdout: string; stderr: string; left: string } {
  const dir = tempDir();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'shmkit'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'shmkit'), 0o755);
  writeFileSync(join(dir, 'script.sh'), readmeScript());
  // stdin is /dev/null, not node's socket: bash reads ~/.bashrc when its stdin is a socket and SHLVL is unset (as
  // if run by sshd), and a root .bashrc with noise would show on stderr.
  const r = spawnSync('unshare', ['--ipc', 'bash', '--norc', '-c', `bash '${join(dir, 'script.sh')}' "$1"; echo "status=$?"; echo "left: $(ipcs -m | grep -c '^0x')"`, 'sh', arg], {
    encoding: 'latin1', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 0, r.stderr);
  const status = Number(/^status=(\d+)$/m.exec(r.stdout)?.[1]);
  const left = /^left: (\d+)$/m.exec(r.stdout)?.[1] ?? '?';
  return { status, stdout: r.stdout.replace(/^(status=|left: ).*\n/gm, ''), stderr: r.stderr, left };
}

const skip = requires(['unshare', 'jq'], 'the script counts the segments and looks for key 0x1234');

test("the README's script hands a file through a segment and leaves nothing", { skip }, () => {
  const file = join(tempDir(), 'data.bin');
  writeFileSync(file, Buffer.concat([randomBytes(4999), Buffer.from([0])]));
  const r = runScript(file);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    '{"size":5000,"mode":384,"nattch":0}',
    "the tutorial's segment (key 0x1234) is not there",
    'segments here: 1',
    '',
  ].join('\n'));
  assert.equal(r.stderr, '');
  assert.equal(r.left, '0', 'the trap removed the segment');
});

test("the README's script fails half-way: set -e stops it, the trap still removes the segment", { skip }, () => {
  // A directory has a size, so the segment is made; reading it as --stdin is refused as bad input (EISDIR, exit 2).
  const r = runScript(tempDir());
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^shmkit: attach-write: .*EISDIR/m);
  assert.equal(r.left, '0', 'the trap removed the segment');
});
