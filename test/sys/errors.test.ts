// Failed calls become SysErrors with the errno name, number and call, read right after the failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sys from '../../src/sys/libc.js';

test('IPC_STAT of an unknown id is EINVAL, with its name, number and call', () => {
  assert.throws(() => sys.shmStat(0x7fff_fff0), (e: unknown) => {
    assert.ok(e instanceof sys.SysError);
    assert.equal(e.code, 'EINVAL');
    assert.equal(e.errno, 22);
    assert.equal(e.syscall, 'shmctl(IPC_STAT)');
    assert.match(e.message, /Invalid argument/);
    return true;
  });
});

test("shmat's (void *)-1 is an error, not an address", () => {
  assert.throws(() => sys.shmat(-1, 0), (e: unknown) => e instanceof sys.SysError && e.code === 'EINVAL' && e.syscall === 'shmat');
});

test('shmget of a key nobody has is ENOENT; EIDRM has a name although libuv lacks it', () => {
  assert.throws(() => sys.shmget(0x7e7e7e7e, 0, 0), (e: unknown) => e instanceof sys.SysError && e.code === 'ENOENT');
  assert.equal(sys.errnoName(43), 'EIDRM');
  assert.equal(sys.errnoName(11), 'EAGAIN');
});
