// Memory safety is a property of the library's API: whatever plain JavaScript does with what `import ... from
// 'shmkit'` hands out, the process must not crash. Each escape runs in a child process of its own (a SIGSEGV or a
// fatal koffi error there is a failed test, not a dead runner) and must end in a thrown error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, Tracker, shmkit, uniqueKey } from '../helpers/index.js';
import * as sys from '../../src/sys/libc.js';

const t = new Tracker();
after(() => t.cleanup());

const LIBRARY = JSON.stringify(join(ROOT, 'dist', 'index.js'));

/** Runs an ES module of plain JavaScript with the built library as `lib`; returns what it printed and how it ended. */
function plainJs(body: string, args: string[] = []) {
  const code = `const lib = await import(${LIBRARY});\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** What a call threw, by error class name, or 'returned' (printed as one line per call by the child). */
const TRY = `
const tryIt = (what, fn) => {
  try { fn(); console.log(what + ': returned'); }
  catch (e) { console.log(what + ': threw ' + e.name); }
};`;

function segment(size: bigint): number {
  const key = uniqueKey();
  return t.shm(sys.shmget(key, size, 0o600 | 0o1000 | 0o2000), key);
}

test('assigning size or readonly, or redefining them, widens no bound and no permission', () => {
  const id = segment(4096n);
  const r = plainJs(`${TRY}
const id = Number(process.argv[1]);
const ro = lib.Attachment.attach({ id }, { readonly: true });
tryIt('assign size', () => { ro.size = 1 << 30; });
tryIt('assign readonly', () => { ro.readonly = false; });
tryIt('defineProperty size', () => Object.defineProperty(ro, 'size', { value: 1 << 30 }));
tryIt('read past the end', () => ro.read(0, 1 << 24));
tryIt('write to read-only', () => ro.write(0, Buffer.from('x')));
tryIt('fill read-only', () => ro.fill(0, 10, 1));
// Even a getter put on the class itself changes nothing inside: the checks use private fields.
Object.defineProperty(lib.Attachment.prototype, 'size', { get: () => 1 << 30 });
Object.defineProperty(lib.Attachment.prototype, 'readonly', { get: () => false });
tryIt('read past the end with a forged getter', () => ro.read(0, 1 << 24));
tryIt('write with a forged getter', () => ro.write(0, Buffer.from('x')));
console.log('size seen: ' + ro.size);
ro.detach();
`, [String(id)]);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    'assign size: threw TypeError', 'assign readonly: threw TypeError', 'defineProperty size: threw TypeError',
    'read past the end: threw InputError', 'write to read-only: threw OperationError', 'fill read-only: threw OperationError',
    'read past the end with a forged getter: threw InputError', 'write with a forged getter: threw OperationError',
    'size seen: 1073741824', '',
  ].join('\n'));
});

test('no view of attached memory reaches a caller: what read() gives is a copy, usable after detach', () => {
  const id = segment(8192n);
  const r = plainJs(`${TRY}
const id = Number(process.argv[1]);
const a = lib.Attachment.attach({ id });
a.write(0, Buffer.from('hello'));
const names = new Set();
for (let p = a; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) for (const n of Object.getOwnPropertyNames(p)) names.add(n);
console.log('members: ' + [...names].sort().join(' '));
const copy = a.read(0, 5);
const into = a.readInto(0, Buffer.alloc(5));
a.write(0, Buffer.from('HELLO'));
a.detach();
console.log('copy after detach: ' + copy.toString());
copy.fill(0x41);
console.log('written after detach: ' + copy.toString());
console.log('readInto filled the buffer it was given: ' + into.toString());
tryIt('read after detach', () => a.read(0, 1));
tryIt('write after detach', () => a.write(0, Buffer.from('x')));
tryIt('indexOfNul after detach', () => a.indexOfNul(0, 1));
tryIt('readInto after detach', () => a.readInto(0, Buffer.alloc(1)));
tryIt('readInto past the end', () => lib.Attachment.attach({ id }).readInto(8190, Buffer.alloc(4)));
`, [String(id)]);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  // Nothing on the class returns memory: no bytes(), no view, no buffer (address is a bigint, null after detach).
  assert.equal(lines[0], 'members: address attached constructor detach fill id indexOfNul read readFromFd readInto readonly size write writeToFd');
  assert.deepEqual(lines.slice(1), [
    'copy after detach: hello', 'written after detach: AAAAA', 'readInto filled the buffer it was given: hello',
    'read after detach: threw OperationError', 'write after detach: threw OperationError', 'indexOfNul after detach: threw OperationError',
    'readInto after detach: threw OperationError', 'readInto past the end: threw InputError', '',
  ]);
});

test("runReader's blocks carry their own bytes: the block as it was read, still there after the run", () => {
  const key = uniqueKey();
  t.key(key);
  const r = plainJs(`
const key = Number(process.argv[1]);
const blocks = [];
const out = () => {};
const writer = lib.runWriter({ key, count: 4, intervalMs: 150, out });
await new Promise((r) => setTimeout(r, 30));
const reader = lib.runReader({ key, intervalMs: 20, out, onBlock: (b) => blocks.push(b) });
await Promise.all([writer, reader]);
// The run is over: the segment is detached and removed. Each block still says what it held when it was read.
const letters = blocks.map((b) => b.text()).filter((s) => s.length > 0).map((s) => s[0] + ':' + s.length + ':' + (s === s[0].repeat(s.length)));
console.log(letters.join(' '));
console.log(blocks.every((b) => Buffer.isBuffer(b.data) && b.data.length === b.text().length));
`, [String(key)]);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const [seen, buffers] = r.stdout.trim().split('\n');
  assert.equal(buffers, 'true');
  const letters = seen!.split(' ').map((x) => x.split(':'));
  assert.ok(letters.length >= 4, seen);
  for (const [, length, uniform] of letters) {
    assert.equal(length, '1023');
    assert.equal(uniform, 'true');
  }
  // In order, and a letter seen early is still that letter now (the block was copied, not read again at the end).
  const order = letters.map(([l]) => l).join('');
  assert.match(order, /^A+B+C+D+$/);
});

const FOUR_GIB = 1n << 32n;

test('a segment larger than 4 GiB: fill, write, read and search work in parts, and never abort the process', () => {
  const size = FOUR_GIB + 8192n;
  const id = segment(size);
  try {
    const fill = shmkit(['attach-write', '--id', String(id), '--fill', '0'], { timeout: 120_000 });
    assert.equal(fill.signal, null, `killed by ${fill.signal}`);
    assert.equal(fill.status, 0, fill.stderr);
    const r = plainJs(`${TRY}
const id = Number(process.argv[1]);
const a = lib.Attachment.attach({ id });
console.log('size ' + a.size);
a.fill(0, a.size, 0x5a);
a.write(a.size - 3, Buffer.from([1, 2, 0]));
console.log('tail ' + [...a.read(a.size - 4, 4)].join(','));
console.log('nul at ' + a.indexOfNul(0, a.size));
tryIt('read all of it into one Buffer', () => a.read(0, a.size));
a.detach();
`, [String(id)]);
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [`size ${size}`, 'tail 90,1,2,0', `nul at ${size - 1n}`, 'read all of it into one Buffer: threw InputError', ''].join('\n'));
  } finally {
    sys.shmRmid(id);
  }
});
