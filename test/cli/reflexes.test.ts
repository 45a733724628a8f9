// What ipcs, ipcrm and ipcmk users type first (issue 14): ids as arguments, util-linux's own flags, --ftok wherever
// a key goes, the aliases, conflicting options refused, required options in the synopsis. Table-driven: argv ->
// exit code, stdout, one stderr line. Real segments, in the suite's own IPC namespace.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { ROOT, SHMKIT_SH, Tracker, hex, requires, segmentExists, shInOwnIpcNamespace, shmkit, uniqueKey } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
const dir = mkdtempSync(join(tmpdir(), 'shmkit-ftok-'));
after(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A segment of 64 bytes under a fresh key, tracked for removal. */
function segment(): { id: number; key: number } {
  const key = uniqueKey();
  const r = shmkit(['create', '--key', hex(key), '--size', '64', '--json']);
  assertOk(r);
  const id = JSON.parse(r.stdout).id as number;
  t.shm(id, key);
  return { id, key };
}

describe('ids as arguments, as ipcrm takes them', () => {
  test('stat ID, read ID, attach-write ID, show ID and cat ID name the segment', () => {
    const { id } = segment();
    assertOk(shmkit(['attach-write', String(id), '--data', 'positional', '--nul']));
    assert.equal(shmkit(['read', String(id)]).stdout, 'positional\n');
    assert.equal(shmkit(['cat', String(id)]).stdout, 'positional\n');
    assert.equal(JSON.parse(shmkit(['stat', String(id), '--json']).stdout).id, id);
    assert.equal(JSON.parse(shmkit(['show', String(id), '-J']).stdout).id, id);
  });
  test('rm 5 7 removes both, in the order given; rm -m ID -M KEY (ipcrm\'s flags) too', () => {
    const a = segment();
    const b = segment();
    assertOk(shmkit(['rm', String(a.id), String(b.id)]));
    assert.equal(segmentExists(a.id) || segmentExists(b.id), false);
    const c = segment();
    const d = segment();
    assertOk(shmkit(['rm', '-m', String(c.id), '-M', hex(d.key)]));
    assert.equal(segmentExists(c.id) || segmentExists(d.id), false);
    const e = segment();
    assertOk(shmkit(['delete', String(e.id)]));
    assert.equal(segmentExists(e.id), false);
  });
  const refused: Array<[string[], string, RegExp]> = [
    [['stat', '0x1234'], 'stat', /'0x1234' looks like a key, not an id; give a key with --key: --key 0x1234$/],
    [['rm', '0x1234'], 'rm', /'0x1234' looks like a key, not an id/],
    [['read', 'abc'], 'read', /invalid id 'abc'/],
    [['stat', '5', '--id', '6'], 'stat', /give the segment once: ID or --id, not both$/],
    [['rm', '5', '--all'], 'rm', /ids and --all cannot be used together$/],
    [['stat', '1'.repeat(5000)], 'stat', /^.{0,200}$/],
  ];
  for (const [argv, command, re] of refused) {
    test(`shmkit ${argv.join(' ').slice(0, 40)}: exit 2, one line`, () => assertFails(shmkit(argv), 2, command, re));
  }
});

describe('--ftok PATH wherever a key goes', () => {
  test('create --ftok, then stat, read, attach-write and rm --ftok find the same segment', () => {
    const made = shmkit(['create', '--ftok', `${dir}:7`, '--size', '32', '--json']);
    assertOk(made);
    const { id, key } = JSON.parse(made.stdout) as { id: number; key: number };
    t.shm(id, key);
    assert.equal(JSON.parse(shmkit(['stat', '--ftok', `${dir}:7`, '--json']).stdout).id, id);
    assertOk(shmkit(['attach-write', '--ftok', `${dir}:7`, '--data', 'by path', '--nul']));
    assert.equal(shmkit(['read', '--ftok', `${dir}:7`]).stdout, 'by path\n');
    assertFails(shmkit(['stat', '--ftok', `${dir}:8`]), 1, 'stat', /no segment has key 0x/);
    assertOk(shmkit(['rm', '--ftok', `${dir}:7`]));
    assert.equal(segmentExists(id), false);
  });
  test('writer --ftok and reader --ftok meet under the key ftok makes', async () => {
    const key = sys.ftok(dir, 9) >>> 0;
    t.key(key);
    const { shmkitAsync } = await import('../helpers/index.js');
    const r = shmkitAsync(['reader', '--ftok', `${dir}:9`, '--sync', '--quiet']);
    const w = shmkit(['writer', '--ftok', `${dir}:9`, '--sync', '--count', '3', '--interval', '0']);
    assertOk(w);
    const rr = await r.done;
    assert.equal(rr.status, 0, rr.stderr);
    assert.match(rr.stderr, /3 blocks: 0 missing, 0 duplicate, 0 torn/);
  });
  test('--key and --ftok together are refused', () => {
    assertFails(shmkit(['stat', '--key', '0x5', '--ftok', dir]), 2, 'stat', /give --key or --ftok, not both$/);
    assertFails(shmkit(['writer', '--key', '0x5', '--ftok', dir]), 2, 'writer', /give --key or --ftok, not both$/);
  });
});

describe('aliases and help', () => {
  const same: Array<[string, string]> = [['remove', 'rm'], ['delete', 'rm'], ['del', 'rm'], ['show', 'stat'], ['limits', 'info'], ['cat', 'read'], ['ls', 'list']];
  for (const [alias, name] of same) {
    test(`${alias} is ${name}`, () => {
      const r = shmkit([alias, '--help']);
      assertOk(r);
      assert.equal(r.stdout, shmkit([name, '--help']).stdout);
    });
  }
  test('help help, and typos answered with the nearest name or alias', () => {
    assert.match(shmkit(['help', 'help']).stdout, /^Usage: shmkit help /);
    assertFails(shmkit(['delte']), 2, '', /unknown command 'delte' \(did you mean delete\?\)/);
    assertFails(shmkit(['shwo', '5']), 2, '', /\(did you mean show\?\)/);
    assertFails(shmkit(['frobnicate']), 2, '', /unknown command 'frobnicate'; shmkit --help lists the commands$/);
  });
});

describe('util-linux spellings', () => {
  test('create -M SIZE -p MODE (ipcmk), list -J and info -J (lsipc)', () => {
    const r = shmkit(['create', '-M', '100', '-p', '600', '--private', '-J']);
    assertOk(r);
    const made = JSON.parse(r.stdout) as { id: number; size: number; mode: number };
    t.shm(made.id);
    assert.deepEqual([made.size, made.mode], [100, 0o600]);
    assert.ok(Array.isArray(JSON.parse(shmkit(['list', '-J']).stdout)));
    assert.ok(JSON.parse(shmkit(['info', '-J']).stdout).limits);
  });
  const refused: Array<[string[], string, RegExp]> = [
    [['list', '-i', '3'], 'list', /--id is not an option here: list shows every segment; for one, use shmkit stat --id ID$/],
    [['rm', '--all=bogus'], 'rm', /--all=bogus: TYPE is shm \(segments\), sem \(semaphore sets\), msg \(message queues\) or all$/],
    [['create', '-M', '1', '--size', '2'], 'create', /--shmem and --size cannot be used together$/],
    [['create', '--size', '1', '-p', '600', '--mode', '644'], 'create', /--perms and --mode cannot be used together$/],
  ];
  for (const [argv, command, re] of refused) {
    test(`shmkit ${argv.join(' ')}: exit 2, one line`, () => assertFails(shmkit(argv), 2, command, re));
  }
  test('rm --all=shm is --all: it still wants --yes; with nothing to remove, --all and --orphans say so and exit 0', { skip: requires(['root', 'unshare']) }, () => {
    const full = shInOwnIpcNamespace(`${SHMKIT_SH} create --size 1 --private > /dev/null; ${SHMKIT_SH} rm --all=shm; echo "status $?"`);
    assert.match(full.stderr, /^shmkit: rm: --all would remove 1 segment \(ids: \d+\); add --yes to remove them\n$/);
    assert.match(full.stdout, /status 2\n$/);
    const empty = shInOwnIpcNamespace(`${SHMKIT_SH} rm --all --yes; echo "status $?"; ${SHMKIT_SH} rm --orphans --dry-run; echo "status $?"`);
    assert.equal(empty.stdout, 'status 0\nstatus 0\n');
    assert.equal(empty.stderr, 'shmkit: rm: nothing to remove: no segment you may remove\nshmkit: rm: nothing to remove: nothing you may remove is an orphan\n');
  });
});

describe('conflicting options are refused, consistently', () => {
  const refused: Array<[string[], string, RegExp]> = [
    [['info', '--json', '--format', 'ipcs'], 'info', /--json and --format cannot be used together$/],
    [['list', '--json', '--format', 'table'], 'list', /--json and --format cannot be used together$/],
    [['stat', '--id', '1', '--id', '2'], 'stat', /--id is given twice \('1' and '2'\): give it once$/],
    [['read', '--id', '1', '--id', '2'], 'read', /--id is given twice/],
    [['rm', '--older-than', '1h'], 'rm', /--older-than goes with --orphans$/],
    [['list', '--older-than', '1h'], 'list', /--older-than goes with --orphans$/],
    [['read', '--id', 'x'.repeat(100_000)], 'read', /^.{0,300}$/],
  ];
  for (const [argv, command, re] of refused) {
    test(`shmkit ${argv.join(' ').slice(0, 50)}: exit 2, one line`, () => assertFails(shmkit(argv), 2, command, re));
  }
});

test('required options and the ways to name a segment look so in the usage line and the man page', () => {
  assert.match(shmkit(['create', '--help']).stdout, /^Usage: shmkit create --size SIZE \[options\]\n/);
  assert.match(shmkit(['stat', '--help']).stdout, /^Usage: shmkit stat\|show \(ID \| --id ID \| --key KEY \| --ftok PATH\) \[options\]\n/);
  assert.match(shmkit(['read', '--help']).stdout, /^Usage: shmkit read\|cat \(ID \| --id ID \| --key KEY \| --ftok PATH\) \[options\]\n/);
  // An option's optional value stays in the man page's synopsis: rm --all [TYPE], as ipcrm --all=shm.
  assert.ok(readFileSync(join(ROOT, 'man', 'shmkit-rm.1'), 'utf8').includes('[\\fB\\-\\-all\\fR [\\fITYPE\\fR]]'));
});

test('the polling reader prints the block\'s bytes as they are, as shm_read.c does (0xE9 stays one byte)', async () => {
  const key = t.key(uniqueKey());
  const made = shmkit(['create', '--key', hex(key), '--size', '1032']);
  assertOk(made);
  // This test plays the writer: attached (so the reader sees a live partner) and writing struct shmseg itself.
  const addr = sys.shmat(Number(made.stdout), 0);
  const mem = new Uint8Array(sys.view(addr, 1032));
  const words = new Int32Array(mem.buffer, mem.byteOffset, 2);
  try {
    mem.set([0xe9, 0xe9, 0xe9, 0], 8);
    words[0] = 3; // cnt
    const { shmkitAsync, until } = await import('../helpers/index.js');
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']);
    await until(() => r.out().includes('Read 3 bytes'), 'the reader to print the block');
    words[1] = 1; // complete
    const done = await r.done;
    assert.equal(done.status, 0, done.stderr);
    assert.ok(done.stdout.includes('"\xe9\xe9\xe9"\n'), JSON.stringify(done.stdout.slice(0, 80)));
  } finally {
    sys.shmdt(addr);
  }
});

test("info's text gives shmall in pages with its bytes, as the other limits", () => {
  assert.match(shmkit(['info', '--limits']).stdout, /all segments together \(shmall\) +\d+ pages \(\d+ bytes, [\d.]+[BKMGTPE]\)\n/);
});
