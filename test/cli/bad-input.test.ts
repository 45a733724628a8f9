// Bad input of every kind, for every command: one clear line, exit 1 or 2, and no segment created, changed or removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { Tracker, createdBy, hex, shmkit, tempDir, uniqueKey } from '../helpers/index.js';
import { assertFails } from '../helpers/assert.js';

const t = new Tracker();
const dir = tempDir();
const missing = join(dir, 'no-such-file');
const directory = join(dir, 'a-directory');
let id = -1;
let key = 0;
let removed = -1;
const PATTERN = Buffer.from('0123456789abcdef'.repeat(4));

function snapshot(): string {
  const ds = sys.shmStat(id);
  const a = sys.shmat(id, 0o10000);
  try {
    const bytes = Buffer.from(new Uint8Array(sys.view(a, 64)));
    return JSON.stringify({ size: String(ds.segsz), mode: ds.mode, key: ds.key, uid: ds.uid, bytes: bytes.toString('hex') });
  } finally {
    sys.shmdt(a);
  }
}

before(() => {
  mkdirSync(directory, { recursive: true });
  key = uniqueKey();
  id = t.shm(sys.shmget(key, 64, 0o600 | 0o1000 | 0o2000), key);
  const a = sys.shmat(id, 0);
  new Uint8Array(sys.view(a, 64)).set(PATTERN);
  sys.shmdt(a);
  removed = sys.shmget(0, 16, 0o600 | 0o1000);
  sys.shmRmid(removed);
});
after(() => t.cleanup());

type Row = [string[], 1 | 2, RegExp];

test('every command refuses bad input with one line and changes nothing', () => {
  const I = () => String(id);
  const K = () => hex(key);
  const rows: Array<[string, Row[]]> = [
    ['create', [
      [[], 2, /--size is required/],
      [['--size'], 2, /argument missing/],
      [['--size', '0'], 2, /at least 1 byte/],
      [['--size', '-1'], 2, /cannot be negative/],
      [['--size', '1.5'], 2, /a fraction needs a suffix/],
      [['--size', 'ten'], 2, /invalid size 'ten'/],
      [['--size', '18446744073709551616'], 2, /out of range/],
      [['--size', '16E'], 2, /out of range/],
      [['--size', '10', '--key', '0x1ffffffff'], 2, /out of range: keys are 32-bit/],
      [['--size', '10', '--key', '-2147483649'], 2, /out of range/],
      [['--size', '10', '--key', '12.5'], 2, /invalid key '12.5'/],
      [['--size', '10', '--key', '0'], 2, /IPC_PRIVATE/],
      [['--size', '10', '--private', '--ftok', '/etc'], 2, /--private and --ftok cannot be used together/],
      [['--size', '10', '--private', '--exclusive'], 2, /no meaning with --private/],
      [['--size', '10', '--ftok', missing], 2, /ftok: cannot use .*ENOENT/],
      [['--size', '10', '--ftok', '/etc:0'], 2, /out of range/],
      [['--size', '10', '--mode', '8'], 2, /invalid mode '8'/],
      [['--size', '10', '--mode', '1777'], 2, /beyond 0777/],
      [['--size', '10', '--mode', '01777'], 2, /invalid mode/],
      [['--size', '64', '--key', K(), '--exclusive'], 1, /is taken: EEXIST/],
      [['--size', '65', '--key', K()], 1, /exists with 64 bytes and you asked for 65: EINVAL/],
      [['--size', '10', 'extra'], 2, /too many arguments/],
      [['--size', '10', '--nope'], 2, /unknown option '--nope'/],
    ]],
    ['attach-write', [
      [['--id', I()], 2, /say what to write/],
      [['--data', 'x'], 2, /name the segment/],
      [['--id', I(), '--key', K(), '--data', 'x'], 2, /not both/],
      [['--id', I(), '--data', 'x', '--stdin'], 2, /cannot be used together/],
      [['--id', I(), '--data', 'x', '--offset', '-1'], 2, /invalid offset/],
      [['--id', I(), '--data', 'x', '--offset', '1.5'], 2, /invalid offset/],
      [['--id', I(), '--data', 'x', '--offset', '99999999999999999999'], 2, /too large/],
      [['--id', I(), '--data', 'x', '--offset', '65'], 2, /past the end/],
      [['--id', I(), '--data', 'x'.repeat(65)], 2, /do not fit/],
      [['--id', I(), '--fill', 'z', '--length', '65'], 2, /do not fit/],
      [['--id', I(), '--data', 'x', '--length', '1'], 2, /--length goes with --fill/],
      [['--id', I(), '--fill', 'z', '--nul'], 2, /--nul goes with/],
      [['--id', I(), '--file', missing], 2, /ENOENT/],
      [['--id', I(), '--file', directory], 2, /EISDIR/],
      [['--id', String(removed), '--data', 'x'], 1, /no segment has id/],
      [['--id', '-3', '--data', 'x'], 2, /invalid id/],
      [['--id', '2147483648', '--data', 'x'], 2, /out of range/],
      [['--key', '0x100000000', '--data', 'x'], 2, /out of range/],
      [['--key', hex(uniqueKey()), '--data', 'x'], 1, /ENOENT/],
    ]],
    ['read', [
      [[], 2, /name the segment/],
      [['--id', I(), '--format', 'json'], 2, /unknown format 'json'/],
      [['--id', I(), '--offset', '65'], 2, /past the end/],
      [['--id', I(), '--length', '65'], 2, /run past the end/],
      [['--id', I(), '--offset', '60', '--length', '5'], 2, /run past the end/],
      [['--id', I(), '--length', 'all'], 2, /invalid length/],
      [['--id', String(removed)], 1, /no segment has id/],
      // An argument is an id (issue 14), given once: beside --id it is refused, and a second one is one too many.
      [['--id', I(), 'extra'], 2, /give the segment once: ID or --id, not both/],
      [[I(), 'extra'], 2, /too many arguments/],
    ]],
    ['stat', [
      [[], 2, /name the segment/],
      [['--id', I(), '--format', 'yaml'], 2, /unknown format/],
      [['--id', I(), '--json', '--format', 'ipcs'], 2, /cannot be used together/],
      [['--id', I(), '--human'], 2, /--human goes with --format ipcs/],
      [['--id', String(removed)], 1, /no segment has id/],
      [['--key', '0'], 2, /IPC_PRIVATE/],
    ]],
    ['rm', [
      [[], 2, /say what to remove/],
      [['--orphans', '--older-than', '5'], 2, /invalid age '5'; use a whole number and a unit/],
      [['--orphans', '--older-than', '1w'], 2, /invalid age '1w'/],
      [['--id', I(), '--older-than', '1h'], 2, /--older-than goes with --orphans/],
      [['--id', 'x'], 2, /invalid id 'x'/],
      [['--id', I(), '--id', '1.5'], 2, /invalid id '1.5'/],
      [['--key', '0'], 2, /illegal key/],
      [['--key', '0x100000000'], 2, /out of range/],
      [['--all'], 2, /add --yes/],
      [['--all', '--id', I()], 2, /cannot be used together/],
      [['--id', String(removed)], 1, /no segment has id/],
      // Arguments are ids, as ipcrm takes them (issue 14): all are parsed before anything is removed.
      [['--id', I(), 'extra'], 2, /invalid id 'extra'/],
    ]],
    ['info', [
      [['--format', 'xml'], 2, /unknown format/],
      [['--bytes', '--human', '--format', 'ipcs'], 2, /cannot be used together/],
      [['--source', 'sysfs'], 2, /unknown source 'sysfs'; use one of: auto, proc, kernel/],
      [['extra'], 2, /too many arguments/],
    ]],
    ['list', [
      [['--format', 'csv'], 2, /unknown format/],
      [['--time', '--creator'], 2, /cannot be used together/],
      [['--json', '--pid'], 2, /--json has every field/],
      [['--older-than', '1h'], 2, /--older-than goes with --orphans/],
      [['--orphans', '--older-than', 'soon'], 2, /invalid age 'soon'/],
    ]],
    ['writer', [
      [['--count', '0'], 2, /invalid count/],
      [['--count', '-1'], 2, /invalid count/],
      [['--count', '1.5'], 2, /invalid count/],
      [['--interval', '-1s'], 2, /invalid duration/],
      [['--interval', '1h'], 2, /invalid duration/],
      [['--key', '0x100000000'], 2, /out of range/],
      [['--key', K()], 1, /smaller than the 1032 bytes of struct shmseg/],
    ]],
    ['reader', [
      [['--interval', 'x'], 2, /invalid duration/],
      [['--key', '0'], 2, /IPC_PRIVATE/],
      [['--key', K()], 1, /smaller than the 1032 bytes/],
    ]],
    ['demo', [
      [['--count', 'many'], 2, /invalid count/],
      [['--key', '0'], 2, /IPC_PRIVATE/],
    ]],
    ['completion', [
      [[], 2, /missing required argument/],
      [['powershell'], 2, /unknown shell/],
    ]],
  ];
  const before = snapshot();
  let n = 0;
  for (const [command, cases] of rows) {
    for (const [args, code, re] of cases) {
      const r = shmkit([command, ...args]);
      assertFails(r, code, command, re);
      assert.deepEqual(createdBy(r.pid), [], `${command} ${args.join(' ')} created a segment`);
      assert.equal(snapshot(), before, `${command} ${args.join(' ')} changed the segment`);
      n++;
    }
  }
  assertFails(shmkit(['frobnicate']), 2, '', /unknown command 'frobnicate'/);
  assert.ok(n > 70, `${n} cases`);
});
