// User and group names: read from /etc/passwd and /etc/group where the name service reads those first, and then
// exactly what getpwuid(3)/getgrgid(3) answer; from libc otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { groupName, parseNameTable, userName } from '../../src/core/names.js';
import * as sys from '../../src/sys/libc.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n# a comment\n\nalice:x:1000:1000::/home/alice:/bin/sh\nalias:x:1000:1000::/:/bin/sh\n';

test('files first: the first entry for an id wins, comments and empty lines are skipped', () => {
  const t = parseNameTable('passwd', 'passwd:   files systemd\ngroup: files\n', PASSWD);
  assert.deepEqual(t && [...t], [[0, 'root'], [1000, 'alice']]);
  assert.deepEqual([...parseNameTable('group', 'group:\tfiles [NOTFOUND=return] sss', 'wheel:x:10:alice,bob\nstaff:*:50:\n') ?? []], [[10, 'wheel'], [50, 'staff']]);
});

test('anything libc might read otherwise is left to libc', () => {
  assert.equal(parseNameTable('passwd', 'passwd: sss files\n', PASSWD), null, 'another source first');
  assert.equal(parseNameTable('passwd', 'passwd: compat\n', PASSWD), null, 'compat');
  assert.equal(parseNameTable('passwd', 'group: files\n', PASSWD), null, 'no passwd line');
  assert.equal(parseNameTable('passwd', '# passwd: files\n', PASSWD), null, 'commented out');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', `${PASSWD}+@netgroup::::::\n`), null, 'a compat + line');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', `${PASSWD}-bob::::::\n`), null, 'a compat - line');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', `${PASSWD}bob:x:1001:1001\n`), null, 'too few fields');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', `${PASSWD}bob:x:10a1:1001::/:/bin/sh\n`), null, 'an id that is not a number');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', `${PASSWD} bob:x:1001:1001::/:/bin/sh\n`), null, 'leading blank');
  assert.equal(parseNameTable('passwd', 'passwd: files\n', 'big:x:4294967296:0::/:/bin/sh\n'), null, 'an id past 32 bits');
});

test("on this machine, every id in /etc/passwd and /etc/group gets libc's name, and an unknown id libc's answer", () => {
  const ids = (path: string) => readFileSync(path, 'utf8').split('\n').map((l) => l.split(':')[2]).filter((x): x is string => x !== undefined && /^\d+$/.test(x)).map(Number);
  for (const uid of [...ids('/etc/passwd'), 4_000_000_001]) assert.equal(userName(uid), sys.userName(uid), `uid ${uid}`);
  for (const gid of [...ids('/etc/group'), 4_000_000_001]) assert.equal(groupName(gid), sys.groupName(gid), `gid ${gid}`);
});
