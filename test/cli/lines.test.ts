// LineSink, the output of the writer, the reader and watch: what it is given comes out, whatever its size, even
// when the caller waits on it with nothing else keeping node's event loop alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/index.js';

const LINES = JSON.stringify(join(ROOT, 'dist', 'cli', 'lines.js'));

test('a buffered sink writes a piece larger than its buffer, and a caller waiting on it is woken', () => {
  // 2 MiB in one piece is past the point (1 MiB) where add() makes the caller wait for the output to catch up.
  const code = `const { LineSink, runControl } = await import(${LINES});
const sink = new LineSink(true, runControl(), 1, 'latin1');
await sink.add('x'.repeat(2 << 20));
await sink.add('end\\n');
await sink.flush();
process.stderr.write('flushed');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'latin1', maxBuffer: 1 << 24, timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'flushed', 'the run went on after the wait');
  assert.equal(r.stdout.length, (2 << 20) + 4);
  assert.ok(r.stdout.endsWith('xend\n'));
});
