// shmkit's ipcs formats against the installed ipcs, byte for byte, on a varied set of segments: attached, locked,
// removed while attached, mode 0, a uid with no passwd entry, a long user name, sizes from 1 byte to 1 GiB.
// Other tests run beside this one, so rows of segments that are not ours are left out of both outputs before
// comparing; everything else (titles, headers, blank lines, trailing spaces) is compared as it is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { Tracker, BIN, SHMKIT_SH, canUnshareIpc, shInOwnIpcNamespace, haveIpcs, requires, holdSegments, tempDir, uniqueKey } from '../helpers/index.js';

const t = new Tracker();
const ours = new Set<number>();
let holder: Awaited<ReturnType<typeof holdSegments>> | null = null;
const LONG_UID = 4242;
const LONG_NAME = 'averyverylongusername';
// Names of more than one byte a character: ipcs pads and cuts them by bytes (%-10.10s), and so must shmkit, cut
// inside a character included ('jürgenmüller' is 14 bytes and keeps 'jürgenmü'; the first 10 bytes of '日本語ユーザー'
// end with the first of the three of 'ユ').
const MULTIBYTE: ReadonlyArray<[number, string]> = [[4243, 'jörg'], [4244, 'jürgenmüller'], [4245, '日本語ユーザー']];
const dir = tempDir();

// With root and unshare, run both tools in a mount namespace where /etc/passwd also has a user with a long name.
const canMountNs = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
let passwdFile = '';
let groupFile = '';

function make(size: bigint, mode: number, key: number | 'private' = uniqueKey()): number {
  const id = sys.shmget(key === 'private' ? 0 : key, size, mode | 0o1000 | 0o2000);
  ours.add(id);
  return t.shm(id, key === 'private' ? null : key);
}

before(async () => {
  if (!haveIpcs) return;
  const attached = make(4096n, 0o644);
  const locked = make(1024n, 0o600);
  const destLocked = make(1572864n, 0o666);
  const destPrivate = make(8n, 0o644, 'private');
  const noPasswd = make(100n, 0o600);
  make(1n, 0); // mode 0
  make(1n << 30n, 0o640); // 1 GiB
  const longName = make(5000n, 0o644);
  make(1000n, 0o664, 'private');
  holder = await holdSegments([attached, attached, locked, destLocked, destPrivate]);
  sys.shmLock(locked, true);
  sys.shmLock(destLocked, true);
  sys.shmRmid(destLocked);
  sys.shmRmid(destPrivate);
  sys.shmSet(noPasswd, 4321, 5678, 0o600);
  sys.shmSet(longName, LONG_UID, LONG_UID, 0o644);
  for (const [uid] of MULTIBYTE) sys.shmSet(make(64n, 0o600), uid, uid, 0o600);
  if (canMountNs) {
    passwdFile = join(dir, 'passwd');
    groupFile = join(dir, 'group');
    const users = [[LONG_UID, LONG_NAME], ...MULTIBYTE] as const;
    writeFileSync(passwdFile, readFileSync('/etc/passwd', 'utf8')
      + users.map(([uid, name]) => `${name}:x:${uid}:${uid}::/nonexistent:/usr/sbin/nologin\n`).join(''));
    writeFileSync(groupFile, readFileSync('/etc/group', 'utf8') + `averyverylonggroupname:x:${LONG_UID}:\n`
      + MULTIBYTE.map(([gid, name]) => `${name}grp:x:${gid}:\n`).join(''));
  }
});

after(async () => {
  await holder?.stop();
  t.cleanup();
});

/** Runs a command, in the mount namespace with the extra passwd entry where there is one. */
function sh(cmd: string[], tz: string): string {
  const quoted = cmd.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ');
  const env = { ...process.env, TZ: tz, LC_ALL: 'C' };
  const r = canMountNs
    ? spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
      `mount --bind '${passwdFile}' /etc/passwd && mount --bind '${groupFile}' /etc/group && exec ${quoted}`], { encoding: 'latin1', env })
    : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'latin1', env });
  assert.equal(r.status, 0, `${cmd.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Leaves out the rows of segments that are not ours (id in column idColumn). */
function onlyOurs(text: string, idColumn: number): string {
  return text.split('\n').filter((line) => {
    const f = line.trim().split(/\s+/);
    const id = f[idColumn];
    if (!/^(0x[0-9a-f]{8}|\d+)$/.test(f[0] ?? '') || id === undefined || !/^\d+$/.test(id)) return true; // not a row
    return ours.has(Number(id));
  }).join('\n');
}

const shmkit = (args: string[]) => [process.execPath, BIN, ...args];

describe('ipcs parity', { skip: requires(['ipcs']) }, () => {
  for (const tz of ['UTC', 'Asia/Kolkata', '<+0330>-3:30', 'EST5EDT', 'JST-9']) {
    const views: Array<[string[], string[], number]> = [
      [[], [], 1],
      [['--time'], ['-t'], 0],
      [['--pid'], ['-p'], 0],
      [['--creator'], ['-c'], 0],
      [['--human'], ['--human'], 1],
      [['--bytes'], ['-b'], 1],
    ];
    for (const [mine, theirs, idColumn] of views) {
      test(`list --format ipcs ${mine.join(' ')} is ipcs -m ${theirs.join(' ')} (TZ=${tz})`, () => {
        const a = onlyOurs(sh(shmkit(['list', '--format', 'ipcs', ...mine]), tz), idColumn);
        const b = onlyOurs(sh(['ipcs', '-m', ...theirs], tz), idColumn);
        assert.equal(a, b);
        const rows = a.split('\n').filter((l) => /^(0x|\d)/.test(l));
        assert.equal(rows.length, ours.size, 'every one of our segments is in the comparison');
      });
    }
    test(`stat --format ipcs is ipcs -m -i for every segment (TZ=${tz})`, () => {
      for (const id of ours) {
        assert.equal(sh(shmkit(['stat', '--id', String(id), '--format', 'ipcs']), tz), sh(['ipcs', '-m', '-i', String(id)], tz), `id ${id}`);
        assert.equal(sh(shmkit(['stat', '--id', String(id), '--format', 'ipcs', '--human']), tz), sh(['ipcs', '-m', '-i', String(id), '--human'], tz), `id ${id} --human`);
      }
    });
  }

  test('the set really is varied: dest, locked, a numeric owner, a truncated long name', () => {
    const text = sh(shmkit(['list', '--format', 'ipcs']), 'UTC');
    assert.match(text, /^0x00000000 \d+ +root +666 +1572864 +1 +dest +locked$/m);
    assert.match(text, /^0x00000000 \d+ +root +644 +8 +1 +dest +$/m);
    assert.match(text, /^0x[0-9a-f]{8} \d+ +4321 +600 +100 /m);
    assert.match(text, /^0x[0-9a-f]{8} \d+ +root +0 +1 +0 /m);
    assert.match(text, /^0x[0-9a-f]{8} \d+ +root +640 +1073741824 0 /m);
    if (canMountNs) {
      assert.match(text, /^0x[0-9a-f]{8} \d+ +averyveryl 644 +5000 /m);
      // The bytes, read as latin1: padded to 10 bytes, not 10 characters, and cut at 10 bytes.
      assert.match(text, /^0x[0-9a-f]{8} \d+ +j\xc3\xb6rg {6}600 +64 /m);
      assert.match(text, /^0x[0-9a-f]{8} \d+ +j\xc3\xbcrgenm\xc3\xbc 600 +64 /m);
      assert.match(text, /^0x[0-9a-f]{8} \d+ +\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3 600 +64 /m);
    }
  });

  // Usage is the whole namespace's, and the other test files change it while they run: two equal `ipcs -m -u`
  // around ours do not prove it held still between them (a segment can go and another come). So, where it can, the
  // comparison runs in an IPC namespace of its own, on segments it makes there, some resident in part; elsewhere it
  // retries until ipcs before, shmkit, and ipcs after all print the same.
  test('info --format ipcs --summary is ipcs -m -u', () => {
    if (!canUnshareIpc) {
      for (let i = 0; i < 50; i++) {
        const b1 = sh(['ipcs', '-m', '-u'], 'UTC');
        const a = sh(shmkit(['info', '--format', 'ipcs', '--summary']), 'UTC');
        if (a === b1 && a === sh(['ipcs', '-m', '-u'], 'UTC')) return;
      }
      assert.fail('shmkit never printed what ipcs printed before and after it, in 50 tries');
    }
    const bin = SHMKIT_SH;
    const r = shInOwnIpcNamespace(`set -e
      for size in 1 4097 10M; do id=$(${bin} create --private --size $size); ${bin} attach-write --id "$id" --fill 0x5a; done
      id=$(${bin} create --private --size 70000); ${bin} attach-write --id "$id" --offset 65536 --fill 1
      ${bin} create --private --size 1G >/dev/null
      ipcs -m -u; echo '=== shmkit'; ${bin} info --format ipcs --summary`, { LC_ALL: 'C' });
    assert.equal(r.status, 0, r.stderr);
    const [theirs, mine] = r.stdout.split('=== shmkit\n');
    assert.equal(mine, theirs);
    assert.match(theirs ?? '', /^segments allocated 5\npages allocated 264725\npages resident {2}2565\n/m, 'the namespace holds what the test made, resident where written');
  });

  test('info --format ipcs with neither flag is -l then -u', () => {
    const text = sh(shmkit(['info', '--format', 'ipcs']), 'UTC');
    const limits = sh(['ipcs', '-m', '-l'], 'UTC');
    assert.ok(text.startsWith(limits), text);
    assert.match(text.slice(limits.length), /^\n------ Shared Memory Status --------\nsegments allocated \d+\n/);
  });

  test('list --json agrees with /proc/sysvipc/shm on every field', () => {
    const rows = new Map(readFileSync('/proc/sysvipc/shm', 'latin1').split('\n').slice(1).filter((l) => l.trim()).map((l) => {
      const f = l.trim().split(/\s+/);
      return [Number(f[1]), f] as const;
    }));
    const list = JSON.parse(sh(shmkit(['list', '--json']), 'UTC')) as Array<Record<string, unknown>>;
    for (const id of ours) {
      const j = list.find((s) => s.id === id);
      const f = rows.get(id);
      assert.ok(j && f, `segment ${id}`);
      const perms = parseInt(f[2]!, 8);
      const iso = (s: string) => (s === '0' ? null : new Date(Number(s) * 1000).toISOString().replace('.000Z', 'Z'));
      assert.deepEqual(
        [j.key, j.id, j.mode, j.dest, j.locked, String(j.size), j.cpid, j.lpid, j.nattch, j.uid, j.gid, j.cuid, j.cgid, j.atime, j.dtime, j.ctime],
        [Number(f[0]) >>> 0, id, perms & 0o777, (perms & 0o1000) !== 0, (perms & 0o2000) !== 0, f[3], Number(f[4]), Number(f[5]), Number(f[6]),
          Number(f[7]), Number(f[8]), Number(f[9]), Number(f[10]), iso(f[11]!), iso(f[12]!), iso(f[13]!)],
        `segment ${id}`,
      );
    }
  });
});
