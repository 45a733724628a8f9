// Bulk transfers (issue 6): read --format raw to a regular file goes through vmsplice/splice, attach-write from a
// regular file through splice into the segment's file (where the kernel lets us open it), and everything else through
// read(2)/write(2) on the mapping. Every path must give the same bytes, at any offset, and say so when it cannot.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, Tracker, requires, run, shmkit, tempDir } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());
const dir = tempDir();
chmodSync(dir, 0o755);
const node = process.execPath;
const SIZE = 3 * 1024 * 1024 + 123; // not a whole number of pages, above the 1 MiB where splice starts
const data = randomBytes(SIZE);
const src = join(dir, 'src.bin');
writeFileSync(src, data);
chmodSync(src, 0o644);

function create(mode = '0600'): number {
  const r = shmkit(['create', '--private', '--size', String(SIZE), '--mode', mode]);
  assertOk(r);
  return t.shm(Number(r.stdout));
}

/** Runs a shell line with the bin as $S (and as user 4321 if asked), returning the run. */
function sh(line: string, opts: { user?: boolean } = {}) {
  const cmd = `S="'${node}' '${BIN}'"; ${line}`;
  return opts.user
    ? run('setpriv', ['--reuid=4321', '--regid=4321', '--clear-groups', 'sh', '-c', cmd])
    : run('sh', ['-c', cmd]);
}


test('attach-write --stdin from a file and read --format raw to a file give the bytes back, at offsets too', () => {
  const id = create();
  assertOk(sh(`eval "$S attach-write --id ${id} --stdin" < '${src}'`));
  const out = join(dir, 'out.bin');
  assertOk(sh(`eval "$S read --id ${id} --format raw" > '${out}'`));
  assert.ok(readFileSync(out).equals(data), 'the whole segment, to a file');

  // At an offset that is not page-aligned, from a file whose position is not 0 (its first 9 bytes already read).
  assertOk(shmkit(['attach-write', '--id', String(id), '--fill', '0x00']));
  assertOk(sh(`{ dd bs=9 count=1 of=/dev/null status=none; eval "$S attach-write --id ${id} --stdin --offset 7"; } < '${src}'`));
  const expect = Buffer.concat([Buffer.alloc(7), data.subarray(9), Buffer.alloc(2)]);
  const whole = Buffer.from(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'latin1');
  assert.ok(whole.equals(expect), 'the rest of the file, at offset 7');

  const part = join(dir, 'part.bin');
  assertOk(sh(`eval "$S read --id ${id} --format raw --offset 4099 --length 2097153" > '${part}'`));
  assert.ok(readFileSync(part).equals(expect.subarray(4099, 4099 + 2097153)), 'a part, from an odd offset');
});

test('read --format raw appends to an O_APPEND file and writes to a pipe (no splice there) with the same bytes', () => {
  const id = create();
  assertOk(sh(`eval "$S attach-write --id ${id} --file '${src}'"`));
  const out = join(dir, 'append.bin');
  writeFileSync(out, 'head');
  assertOk(sh(`eval "$S read --id ${id} --format raw" >> '${out}'`));
  assert.ok(readFileSync(out).equals(Buffer.concat([Buffer.from('head'), data])), 'appended after what was there');
  const piped = shmkit(['read', '--id', String(id), '--format', 'raw']); // stdout is a pipe here
  assert.ok(Buffer.from(piped.stdout, 'latin1').equals(data));
});

test('a file that does not fit is refused before a byte is written, on the splice path too', () => {
  const id = create();
  assertOk(shmkit(['attach-write', '--id', String(id), '--fill', 'a']));
  const bigger = join(dir, 'bigger.bin');
  writeFileSync(bigger, Buffer.concat([data, Buffer.from('!')]));
  assertFails(sh(`eval "$S attach-write --id ${id} --stdin" < '${bigger}'`), 2, 'attach-write', /do not fit .*nothing was written/);
  assert.ok(Buffer.from(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'latin1').equals(Buffer.alloc(SIZE, 'a')));
});

test('as an unprivileged user (no /proc/self/map_files): the same bytes both ways', { skip: requires(['setpriv']) }, () => {
  const id = create('0666');
  assertOk(sh(`eval "$S attach-write --id ${id} --stdin" < '${src}'`, { user: true }));
  const mine = join(dir, 'user');
  mkdirSync(mine, { mode: 0o777 });
  chmodSync(mine, 0o777);
  const out = join(mine, 'out.bin');
  assertOk(sh(`eval "$S read --id ${id} --format raw" > '${out}'`, { user: true }));
  assert.ok(readFileSync(out).equals(data));
});

test('the fast paths are taken: sendfile out to a file, splice in from stdin to stage it, sendfile in from a file', { skip: requires(['strace', 'root'], 'map_files needs root') }, () => {
  const id = create();
  const trace = join(dir, 'trace');
  assertOk(sh(`strace -f -qq -e trace=splice,vmsplice,read -o '${trace}' sh -c "eval \\"$S attach-write --id ${id} --stdin\\" < '${src}'"`));
  const inCalls = readFileSync(trace, 'latin1');
  assert.match(inCalls, /splice\(0, NULL, \d+, NULL, /, 'splice from stdin');
  // read(2) of stdin only for the one-byte probe that the input has ended.
  assert.deepEqual([...inCalls.matchAll(/read\(0, .*, (\d+)\)\s+= /g)].map((m) => m[1]), ['1'], 'no bulk read(2) of stdin');
  // --stream: straight from the file into the segment's own file.
  assertOk(sh(`strace -f -qq -e trace=sendfile,splice,read -o '${trace}' sh -c "eval \\"$S attach-write --id ${id} --stdin --stream\\" < '${src}'"`));
  const streamCalls = readFileSync(trace, 'latin1');
  assert.match(streamCalls, /sendfile\(\d+, 0, NULL, /, 'sendfile from stdin');
  assert.deepEqual([...streamCalls.matchAll(/read\(0, .*, (\d+)\)\s+= /g)].map((m) => m[1]), ['1'], 'no bulk read(2) of stdin');
  const out = join(dir, 'traced.bin');
  assertOk(sh(`strace -f -qq -e trace=sendfile,splice,vmsplice,write -o '${trace}' sh -c "eval \\"$S read --id ${id} --format raw\\" > '${out}'"`));
  const outCalls = readFileSync(trace, 'latin1');
  assert.match(outCalls, /sendfile\(1, \d+, \[0\] => \[\d+\], /, 'sendfile to stdout, from the segment\'s file at offset 0');
  assert.doesNotMatch(outCalls, /write\(1, /, 'no write(2) to stdout');
  assert.ok(readFileSync(out).equals(data));
});
