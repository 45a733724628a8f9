// The six segment commands end to end: the real bin against the real kernel.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tracker, createdBy, hex, run, shmkit, tempDir, uniqueKey, segmentExists, requires } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());
const dir = tempDir();

function create(args: string[]): number {
  const r = shmkit(['create', ...args]);
  assertOk(r);
  assert.match(r.stdout, /^\d+\n$/, 'the id alone on stdout');
  return t.shm(Number(r.stdout));
}

function procRow(id: number): string[] {
  const line = readFileSync('/proc/sysvipc/shm', 'latin1').split('\n').slice(1).map((l) => l.trim().split(/\s+/)).find((f) => f[1] === String(id));
  assert.ok(line, `segment ${id} in /proc/sysvipc/shm`);
  return line;
}

test('--help lists the six segment commands', () => {
  const r = shmkit(['--help']);
  assertOk(r);
  for (const c of ['create', 'attach-write', 'read', 'stat', 'rm', 'info']) assert.match(r.stdout, new RegExp(`^  ${c}\\b`, 'm'), c);
});

describe('create', () => {
  test('prints the id alone; defaults to mode 0644 and a random key', () => {
    const id = create(['--size', '4096']);
    const f = procRow(id);
    assert.equal(f[2], '644');
    assert.equal(f[3], '4096');
    assert.notEqual(f[0], '0');
  });
  test('--json has id, key, size, mode; sizes take suffixes', () => {
    const key = uniqueKey();
    const r = shmkit(['create', '--key', hex(key), '--size', '1.5K', '--mode', '600', '--json']);
    assertOk(r);
    const j = JSON.parse(r.stdout);
    t.shm(j.id, key);
    assert.deepEqual(j, { id: j.id, key, keyHex: hex(key), size: 1536, mode: 0o600, created: true, filled: false });
  });
  test('--private and --ftok', () => {
    const id = create(['--private', '--size', '10']);
    assert.equal(procRow(id)[0], '0');
    const file = join(dir, 'ftok-file');
    writeFileSync(file, 'x');
    const r = shmkit(['create', '--ftok', `${file}:9`, '--size', '10', '--json']);
    assertOk(r);
    const j = JSON.parse(r.stdout);
    t.shm(j.id, j.key);
    assert.notEqual(j.key, 0);
    assert.equal(j.key & 0xff000000, (9 << 24) >>> 0 & 0xff000000, 'ftok puts the project id in the top byte');
  });
  test('--exclusive on a taken key: EEXIST, what has it, and how to proceed', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '1032']);
    assertFails(shmkit(['create', '--key', hex(key), '--size', '1032', '--exclusive']), 1, 'create',
      new RegExp(`key ${hex(key)} is taken: EEXIST .*segment ${id} has it \\(1032 bytes`));
  });
  test('a larger size than the existing segment: EINVAL with both sizes', () => {
    const key = uniqueKey();
    create(['--key', hex(key), '--size', '1032']);
    assertFails(shmkit(['create', '--key', hex(key), '--size', '4096']), 1, 'create',
      new RegExp(`segment|key ${hex(key)} exists with 1032 bytes and you asked for 4096: EINVAL`));
  });
  test('without --exclusive a taken key is opened, and stderr says so', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '100']);
    const r = shmkit(['create', '--key', hex(key), '--size', '50']);
    assertOk(r);
    assert.equal(r.stdout, `${id}\n`);
    assert.match(r.stderr, /already had segment/);
  });
  test('bad input is exit 2 and creates nothing', () => {
    const fails = (args: string[], re: RegExp) => {
      const r = shmkit(['create', ...args]);
      assertFails(r, 2, 'create', re);
      assert.deepEqual(createdBy(r.pid), [], 'no segment created by the failed command');
    };
    fails([], /--size is required/);
    fails(['--size', '-5'], /cannot be negative/);
    fails(['--size', 'abc'], /invalid size 'abc'/);
    fails(['--size', '0'], /at least 1 byte/);
    fails(['--size', '99999999999999999999'], /out of range/);
    fails(['--size', '10', '--key', '0x100000000'], /out of range/);
    fails(['--size', '10', '--key', '0x12', '--private'], /--key and --private cannot be used together/);
    fails(['--size', '10', '--mode', '999'], /invalid mode '999'/);
    fails(['--size', '10', '--bogus'], /unknown option '--bogus'/);
  });
});

describe('attach-write and read', () => {
  test('text round trip, with and without the NUL, by id and by key', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '64']);
    assertOk(shmkit(['attach-write', '--id', String(id), '--data', 'hello world', '--nul']));
    assert.equal(shmkit(['read', '--key', hex(key)]).stdout, 'hello world\n');
    assertOk(shmkit(['attach-write', '--key', hex(key), '--data', 'HE']));
    assert.equal(shmkit(['read', '--id', String(id)]).stdout, 'HEllo world\n');
    assert.equal(shmkit(['read', '--id', String(id), '--offset', '6', '--length', '3']).stdout, 'wor\n');
  });
  test('raw is the bytes exactly; hex is what xxd prints', () => {
    const id = create(['--private', '--size', '40']);
    const data = Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff));
    const file = join(dir, 'bytes.bin');
    writeFileSync(file, data);
    assertOk(shmkit(['attach-write', '--id', String(id), '--file', file]));
    const raw = shmkit(['read', '--id', String(id), '--format', 'raw']);
    assert.deepEqual(Buffer.from(raw.stdout, 'latin1'), data);
    const hexOut = shmkit(['read', '--id', String(id), '--format', 'hex']).stdout;
    assert.equal(hexOut, run('xxd', [file]).stdout);
    const part = shmkit(['read', '--id', String(id), '--format', 'hex', '--offset', '5', '--length', '20']).stdout;
    assert.equal(part, run('xxd', ['-s', '5', '-l', '20', file]).stdout);
  });
  test('--stdin from a pipe and from a file, --fill, --offset', () => {
    const id = create(['--private', '--size', '16']);
    assertOk(shmkit(['attach-write', '--id', String(id), '--stdin'], { input: 'piped' }));
    assert.equal(shmkit(['read', '--id', String(id), '--length', '5']).stdout, 'piped\n');
    assertOk(shmkit(['attach-write', '--id', String(id), '--fill', 'z']));
    assert.equal(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'z'.repeat(16));
    assertOk(shmkit(['attach-write', '--id', String(id), '--fill', '0x00', '--offset', '4', '--length', '2']));
    assert.equal(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'zzzz\0\0' + 'z'.repeat(10));
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'from a file');
    const r = run('sh', ['-c', `${process.execPath} bin/shmkit.js attach-write --id ${id} --stdin --offset 2 < ${file}`]);
    assertOk(r);
    assert.equal(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'zzfrom a filezzz');
  });
  test('data that does not fit is refused before a byte is written', () => {
    const id = create(['--private', '--size', '8']);
    assertOk(shmkit(['attach-write', '--id', String(id), '--fill', 'a']));
    const unchanged = () => assert.equal(shmkit(['read', '--id', String(id), '--format', 'raw']).stdout, 'aaaaaaaa');
    assertFails(shmkit(['attach-write', '--id', String(id), '--data', '123456789']), 2, 'attach-write', /9 bytes do not fit in segment \d+ at offset 0 \(8 bytes, 8 left\); nothing was written/);
    unchanged();
    assertFails(shmkit(['attach-write', '--id', String(id), '--data', '12345678', '--nul']), 2, 'attach-write', /do not fit/);
    unchanged();
    assertFails(shmkit(['attach-write', '--id', String(id), '--data', 'xy', '--offset', '7']), 2, 'attach-write', /2 bytes do not fit .* 1 left/);
    unchanged();
    assertFails(shmkit(['attach-write', '--id', String(id), '--stdin'], { input: '123456789' }), 2, 'attach-write', /input is larger than the 8 bytes/);
    unchanged();
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(9));
    assertFails(shmkit(['attach-write', '--id', String(id), '--file', big]), 2, 'attach-write', /9 bytes do not fit/);
    unchanged();
    assertFails(shmkit(['attach-write', '--id', String(id), '--data', 'x', '--offset', '9']), 2, 'attach-write', /offset 9 is past the end/);
    unchanged();
  });
  test('bad input: files, sources, offsets, formats', () => {
    const id = String(create(['--private', '--size', '8']));
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    assertFails(shmkit(['attach-write', '--id', id, '--file', join(dir, 'missing')]), 2, 'attach-write', /cannot open .*missing.*ENOENT/);
    assertFails(shmkit(['attach-write', '--id', id, '--file', sub]), 2, 'attach-write', /: EISDIR \(Is a directory\); /);
    assertFails(shmkit(['attach-write', '--id', id]), 2, 'attach-write', /say what to write/);
    assertFails(shmkit(['attach-write', '--id', id, '--data', 'a', '--fill', 'b']), 2, 'attach-write', /--data and --fill cannot be used together/);
    assertFails(shmkit(['attach-write', '--data', 'a']), 2, 'attach-write', /name the segment with --id ID or --key KEY/);
    assertFails(shmkit(['attach-write', '--id', id, '--key', '0x5', '--data', 'a']), 2, 'attach-write', /--id or --key, not both/);
    assertFails(shmkit(['attach-write', '--id', id, '--data', 'a', '--offset', '-1']), 2, 'attach-write', /invalid offset/);
    assertFails(shmkit(['attach-write', '--id', id, '--fill', 'ab']), 2, 'attach-write', /one single-byte character/);
    assertFails(shmkit(['read', '--id', id, '--offset', '9']), 2, 'read', /offset 9 is past the end of segment/);
    assertFails(shmkit(['read', '--id', id, '--length', '9']), 2, 'read', /9 bytes from offset 0 run past the end/);
    assertFails(shmkit(['read', '--id', id, '--format', 'yaml']), 2, 'read', /unknown format 'yaml'.*text, raw, hex/);
    assertFails(shmkit(['read', '--id', 'x1']), 2, 'read', /invalid id 'x1'/);
  });
  test('segments that are not there: exit 1 with the errno', () => {
    assertFails(shmkit(['read', '--id', '2147483000']), 1, 'read', /no segment has id 2147483000.*EINVAL/);
    assertFails(shmkit(['read', '--key', hex(uniqueKey())]), 1, 'read', /no segment has key 0x7e[0-9a-f]{6}: ENOENT/);
    assertFails(shmkit(['attach-write', '--key', '0', '--data', 'x']), 2, 'attach-write', /IPC_PRIVATE/);
  });
});

describe('stat', () => {
  test('--json agrees with /proc/sysvipc/shm', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '777', '--mode', '640']);
    const r = shmkit(['stat', '--id', String(id), '--json']);
    assertOk(r);
    const j = JSON.parse(r.stdout);
    const f = procRow(id);
    assert.equal(j.id, id);
    assert.equal(j.key, Number(f[0]) >>> 0);
    assert.equal(j.mode, parseInt(f[2]!, 8) & 0o777);
    assert.equal(String(j.size), f[3]);
    assert.equal(j.cpid, Number(f[4]));
    assert.equal(j.lpid, Number(f[5]));
    assert.equal(j.nattch, Number(f[6]));
    assert.deepEqual([j.uid, j.gid, j.cuid, j.cgid], f.slice(7, 11).map(Number));
    assert.equal(j.atime, null);
    assert.equal(j.dtime, null);
    assert.equal(j.ctime, new Date(Number(f[13]) * 1000).toISOString().replace('.000Z', 'Z'));
    assert.equal(j.dest, false);
    assert.equal(j.locked, false);
    for (const k of ['id', 'key', 'size', 'mode', 'uid', 'gid', 'cuid', 'cgid', 'cpid', 'lpid', 'nattch', 'atime', 'dtime', 'ctime', 'dest', 'locked', 'attached']) {
      assert.ok(k in j, k);
    }
  });
  test('readable by default, by key', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '10']);
    const r = shmkit(['stat', '--key', hex(key)]);
    assertOk(r);
    assert.match(r.stdout, new RegExp(`^id +${id}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^key +${hex(key)}$`, 'm'));
    assert.match(r.stdout, /^size +10 bytes/m);
  });
  test('a removed id is exit 1 and names the errno', () => {
    const id = create(['--private', '--size', '10']);
    assertOk(shmkit(['rm', '--id', String(id)]));
    assertFails(shmkit(['stat', '--id', String(id)]), 1, 'stat', new RegExp(`no segment has id ${id}: (EINVAL|EIDRM)`));
  });
});

describe('rm', () => {
  test('several ids and keys in one call', () => {
    const key = uniqueKey();
    const a = create(['--private', '--size', '10']);
    const b = create(['--private', '--size', '10']);
    const c = create(['--key', hex(key), '--size', '10']);
    assertOk(shmkit(['rm', '--id', String(a), '--key', hex(key), '--id', String(b)]));
    for (const id of [a, b, c]) assert.equal(segmentExists(id), false);
  });
  test('goes on past a failure and exits 1, one line per failure', () => {
    const a = create(['--private', '--size', '10']);
    const missingKey = hex(uniqueKey());
    const r = shmkit(['rm', '--id', '2147483000', '--id', String(a), '--key', missingKey]);
    assert.equal(r.status, 1);
    assert.equal(segmentExists(a), false);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^shmkit: rm: no segment has id 2147483000: EINVAL \(Invalid argument\); /);
    assert.match(lines[1]!, new RegExp(`^shmkit: rm: no segment has key ${missingKey}: ENOENT \\(No such file or directory\\); `));
  });
  test('bad input removes nothing', () => {
    const a = create(['--private', '--size', '10']);
    assertFails(shmkit(['rm', '--id', String(a), '--id', 'abc']), 2, 'rm', /invalid id 'abc'/);
    assertFails(shmkit(['rm', '--key', '0']), 2, 'rm', /illegal key \(0\)/);
    assertFails(shmkit(['rm']), 2, 'rm', /say what to remove/);
    assert.equal(segmentExists(a), true);
  });
});

describe('working with util-linux', { skip: requires(['ipcs']) }, () => {
  test('a segment made by ipcmk: shmkit writes, reads, stats and removes it', () => {
    const r = run('ipcmk', ['-M', '100', '-p', '600']);
    assertOk(r);
    const id = t.shm(Number(/Shared memory id: (\d+)/.exec(r.stdout)?.[1]));
    assertOk(shmkit(['attach-write', '--id', String(id), '--data', 'from shmkit', '--nul']));
    assert.equal(shmkit(['read', '--id', String(id)]).stdout, 'from shmkit\n');
    assert.equal(JSON.parse(shmkit(['stat', '--id', String(id), '--json']).stdout).mode, 0o600);
    assertOk(shmkit(['rm', '--id', String(id)]));
    assert.equal(segmentExists(id), false);
  });
  test('a segment made by shmkit: ipcs shows it, ipcrm removes it by key', () => {
    const key = uniqueKey();
    const id = create(['--key', hex(key), '--size', '12']);
    assert.match(run('ipcs', ['-m', '-i', String(id)]).stdout, /bytes=12\t/);
    assertOk(run('ipcrm', ['-M', hex(key)]));
    assert.equal(segmentExists(id), false);
  });
});

test('the JSON text of a segment is the generic JSON of its documented fields, byte for byte', async () => {
  const { segmentJsonText, permsString } = await import('../../src/cli/format/fields.js');
  const { toJson } = await import('../../src/cli/format/json.js');
  const { isoTime } = await import('../../src/cli/format/time.js');
  type Info = Parameters<typeof segmentJsonText>[0];
  type Attached = Parameters<typeof segmentJsonText>[2];
  // The shape README and shmkit(1) document, written out here on its own: the field table must produce it.
  const reference = (s: Info, names: { user(u: number): string | null }, attached: Attached) => ({
    id: s.id, key: s.key, keyHex: '0x' + s.key.toString(16).padStart(8, '0'), size: s.size, mode: s.mode, perms: permsString(s.mode),
    owner: names.user(s.uid), uid: s.uid, gid: s.gid, cuid: s.cuid, cgid: s.cgid, cpid: s.cpid, lpid: s.lpid, nattch: s.nattch,
    atime: isoTime(s.atime), dtime: isoTime(s.dtime), ctime: isoTime(s.ctime), dest: s.dest, locked: s.locked,
    ...pages(attached?.find((p) => p.pageSize !== null)?.pageSize ?? null), semaphoreSet: null, rss: s.rss, swap: s.swap,
    attached: attached === null ? null : attached.map((p) => ({ pid: p.pid, command: p.command, attachments: p.attachments })),
  });
  const pages = (pageSize: number | null) => ({ hugePages: pageSize === null ? null : pageSize > 4096, pageSize });
  const names = { user: (u: number) => (u === 0 ? 'root' : u === 7 ? 'we "quote"' : null), group: () => null };
  const base = { id: 3, key: 0x1234, mode: 0o640, dest: true, locked: false, size: 18446744073692774399n, uid: 7, gid: 0, cuid: 0,
    cgid: 5, cpid: 10, lpid: 0, nattch: 2, atime: 1795711344, dtime: 0, ctime: 1795711300, rss: 4096n, swap: null };
  for (const attached of [null, [], [{ pid: 1, command: 'sh\\n"x"', attachments: 2, pageSize: null }, { pid: 2, command: 'node', attachments: 1, pageSize: 4096 }],
    [{ pid: 3, command: 'db', attachments: 1, pageSize: 2097152 }]]) {
    for (const pad of ['', '  ']) {
      assert.equal(segmentJsonText(base, names, attached, pad), toJson(reference(base, names, attached), 2, pad));
    }
  }
});

test('stdout closed early: exit 141 and nothing on stderr, as cat', () => {
  const id = create(['--private', '--size', '8M']);
  assertOk(shmkit(['attach-write', '--id', String(id), '--fill', 'A']));
  const r = run('bash', ['--norc', '-c', `'${process.execPath}' bin/shmkit.js read --id ${id} --format raw | head -c 5; exit \${PIPESTATUS[0]}`]);
  assert.equal(r.stdout, 'AAAAA');
  assert.equal(r.status, 141);
  assert.equal(r.stderr, '');
});
