// One wording per situation (issue 14): a segment that is not there, a permission the caller lacks, an errno, a
// removal said by --verbose, read the same in every command. Table-driven: argv -> exit code and the one stderr line,
// compared whole, so a command that words it its own way fails here.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, SHMKIT_SH, Tracker, hex, requires, shInOwnIpcNamespace, shmkit, uniqueKey } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

/** An id no segment has: one made and removed (ids are not reused at once). */
function removedId(): number {
  const r = shmkit(['create', '--private', '--size', '64']);
  assertOk(r);
  const id = Number(r.stdout.trim());
  assertOk(shmkit(['rm', String(id)]));
  return id;
}

/** The text after "shmkit: COMMAND: " of the one line of a failure, checked to be that command's. */
function body(argv: string[], code: number, command: string): string {
  const r = shmkit(argv);
  assertFails(r, code, command, /./);
  return r.stderr.trimEnd().slice(`shmkit: ${command}: `.length);
}

describe('a segment that is not there', () => {
  test('by id: stat, read, attach-write, rm and the aliases say the same words', () => {
    const id = String(removedId());
    const want = `no segment has id ${id}: EINVAL (Invalid argument); it may have been removed; shmkit list shows the segments there are`;
    const cases: Array<[string[], string]> = [
      [['stat', id], 'stat'], [['stat', '--id', id, '--json'], 'stat'], [['read', id], 'read'], [['cat', '--id', id], 'read'],
      [['attach-write', id, '--data', 'x'], 'attach-write'], [['rm', id], 'rm'], [['rm', '-m', id], 'rm'],
      [['rm', '--id', id, '--verbose'], 'rm'],
    ];
    for (const [argv, command] of cases) assert.equal(body(argv, 1, command), want, argv.join(' '));
  });
  test('by key: the same words in every command, rm -M included', () => {
    const key = hex(uniqueKey());
    t.key(Number(key));
    const want = `no segment has key ${key}: ENOENT (No such file or directory); shmkit list shows the segments there are`;
    const cases: Array<[string[], string]> = [
      [['stat', '--key', key], 'stat'], [['read', '--key', key], 'read'], [['attach-write', '--key', key, '--data', 'x'], 'attach-write'],
      [['rm', '--key', key], 'rm'], [['rm', '-M', key], 'rm'],
    ];
    for (const [argv, command] of cases) assert.equal(body(argv, 1, command), want, argv.join(' '));
  });
  test('rm goes on past each and words each the same way', () => {
    const id = String(removedId());
    const key = hex(uniqueKey());
    const r = shmkit(['rm', '--key', key, id]);
    assert.equal(r.status, 1);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      `shmkit: rm: no segment has key ${key}: ENOENT (No such file or directory); shmkit list shows the segments there are`,
      `shmkit: rm: no segment has id ${id}: EINVAL (Invalid argument); it may have been removed; shmkit list shows the segments there are`,
    ]);
  });
});

describe('a permission the caller lacks: the errno with its words, and a hint', { skip: requires(['setpriv']) }, () => {
  const asNobody = (argv: string[]) => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...argv],
      { encoding: 'latin1', timeout: 20_000, cwd: '/' });
    return { pid: r.pid, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  };
  test('writer, reader (polling and --sync), attach-write, read and rm', () => {
    const key = uniqueKey();
    const made = shmkit(['create', '--key', hex(key), '--size', '4096', '--mode', '600', '--json']);
    assertOk(made);
    const id = t.shm(JSON.parse(made.stdout).id as number, key);
    const denied = `key ${hex(key)} exists and you may not open it: EACCES (Permission denied); its mode does not let you read and write it; see shmkit stat --key ${hex(key)}`;
    const cases: Array<[string[], string, string]> = [
      [['writer', '--key', hex(key), '--count', '1'], 'writer', denied],
      [['writer', '--key', hex(key), '--count', '1', '--sync'], 'writer', denied],
      [['reader', '--key', hex(key)], 'reader', denied],
      [['reader', '--key', hex(key), '--sync'], 'reader', denied],
      [['create', '--key', hex(key), '--size', '64'], 'create', denied],
      [['attach-write', String(id), '--data', 'x'], 'attach-write',
        `attach: permission denied for segment ${id}: EACCES (Permission denied); writing needs read and write permission on the segment (see shmkit stat)`],
      [['read', String(id)], 'read',
        `attach: permission denied for segment ${id}: EACCES (Permission denied); its mode does not give you that access; shmkit list shows owner and perms`],
      [['rm', String(id)], 'rm',
        `not permitted on segment ${id}: EPERM (Operation not permitted); only its owner, its creator or root may do that`],
    ];
    for (const [argv, command, want] of cases) {
      const r = asNobody(argv);
      assertFails(r, 1, command, /./);
      assert.equal(r.stderr.trimEnd(), `shmkit: ${command}: ${want}`, argv.join(' '));
    }
  });
});

describe('errnos from node\'s own calls are said as the kernel\'s are', () => {
  test('a missing --file and a directory as --file', () => {
    const key = uniqueKey();
    const made = shmkit(['create', '--key', hex(key), '--size', '64', '--json']);
    assertOk(made);
    const id = String(t.shm(JSON.parse(made.stdout).id as number, key));
    assert.equal(body(['attach-write', id, '--file', '/nonexistent/shmkit'], 2, 'attach-write'),
      "cannot open '/nonexistent/shmkit': ENOENT (No such file or directory)");
    assert.equal(body(['attach-write', id, '--file', '/'], 2, 'attach-write'),
      "cannot read '/': EISDIR (Is a directory); --file takes a file, not a directory");
  });
});

describe('rm --verbose words a removal one way, whichever way the segment was named', { skip: requires(['root', 'unshare']) }, () => {
  test('--id, an id, --key, -M, --all and --orphans', () => {
    // In an IPC namespace of its own: --all and --orphans there remove only this test's segments.
    const mk = (key: string) => `id=$(${SHMKIT_SH} create --key ${key} --size 64)`;
    const r = shInOwnIpcNamespace([
      mk('0x11'), `${SHMKIT_SH} rm -v --id $id`,
      mk('0x12'), `${SHMKIT_SH} rm -v $id`,
      mk('0x13'), `${SHMKIT_SH} rm -v --key 0x13`,
      mk('0x14'), `${SHMKIT_SH} rm -v -M 0x14`,
      mk('0x15'), `${SHMKIT_SH} rm -v --all --yes`,
      mk('0x16'), `${SHMKIT_SH} rm -v --orphans`,
    ].join(' && '));
    assertOk(r);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 6, r.stderr);
    for (const [i, key] of [0x11, 0x12, 0x13, 0x14, 0x15, 0x16].entries()) {
      assert.match(lines[i]!, new RegExp(`^shmkit: rm: removing segment \\d+ \\(key ${hex(key)}, 64 bytes, owner root\\)$`));
    }
  });
});

describe('no internal words reach a user', { skip: requires(['root', 'unshare']) }, () => {
  test('the writer and the polling reader on a 3 GiB segment at the key', () => {
    // Nothing of the 3 GiB is touched: the writer and the reader use its first 1028 bytes, as the seed's programs do.
    const r = shInOwnIpcNamespace(`${SHMKIT_SH} create --key 0x1234 --size 3G >/dev/null &&
      ${SHMKIT_SH} reader > /dev/null & sleep 1; ${SHMKIT_SH} writer --count 2 --interval 0 >/dev/null; wait $!; echo "status $?" >&2`);
    assert.equal(r.stderr, 'status 0\n');
  });
});
