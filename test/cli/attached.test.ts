// What other users can put on your screen through the attached processes: the names of their commands, and mappings
// that only look like System V ones.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as sys from '../../src/sys/libc.js';
import { SHMKIT_SH, Tracker, collect, compileC, requires, shInOwnIpcNamespace, shmkit, until } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());

test("a command name full of escape sequences is printed escaped, as ps does, in stat and list --pid", { skip: requires(['cc']) }, async () => {
  const id = t.shm(sys.shmget(0, 4096, 0o600 | 0o1000));
  // comm is at most 15 bytes: ESC ] 0 ; p w n BEL ESC [ 2 J LF i d, enough to set a title, clear the screen and
  // start a line of its own.
  const exe = compileC(`#include <stdio.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (shmat(atoi(argv[1]), NULL, SHM_RDONLY) == (void *)-1) return 1;
  prctl(PR_SET_NAME, "\\x1b]0;pwn\\a\\x1b[2J\\nid 9", 0, 0, 0);
  printf("ready\\n"); fflush(stdout);
  pause();
  return 0;
}`, 'evil', undefined, ['-include', 'stdlib.h']);
  const holder = collect(spawn(exe, [String(id)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    await until(() => holder.out().includes('ready'), 'the holder');
    const comm = '\x1b]0;pwn\x07\x1b[2J\nid';
    const j = JSON.parse(shmkit(['stat', '--id', String(id), '--json']).stdout);
    assert.deepEqual(j.attached.map((p: { command: string }) => p.command), [comm], 'JSON has the name as it is, escaped by JSON');
    for (const args of [['stat', '--id', String(id)], ['list', '--pid']]) {
      const r = shmkit(args);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\x00-\x09\x0b-\x1f\x7f]/, `${args.join(' ')}: no control character reaches the terminal`);
      assert.match(r.stdout, new RegExp(`${holder.child.pid} \\\\e\\]0;pwn\\\\a\\\\e\\[2J\\\\nid`), `${args.join(' ')} shows the name escaped`);
      assert.doesNotMatch(r.stdout, /^id$/m, 'no line of its own');
    }
  } finally {
    holder.child.kill('SIGKILL');
    await holder.done;
  }
});

test('a regular file named /SYSV<key>, with the inode number of a segment\'s id, is not taken for an attachment', { skip: requires(['unshare', 'cc'], 'a segment id chosen through kernel.shm_next_id, and a file at /') }, () => {
  // The spoofer maps a file it made at / under a System V name, deleted, shared: its maps line differs from the
  // kernel's only by the device. The segment is then made with the file's inode number as its id.
  const key = 0x7d000000 + Math.floor(Math.random() * 0xffffff);
  const name = `/SYSV${key.toString(16).padStart(8, '0')}`;
  const spoofer = compileC(`#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  int fd = open("${name}", O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0 || ftruncate(fd, 4096) < 0) return 1;
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  struct stat st;
  fstat(fd, &st);
  unlink("${name}");
  if (p == MAP_FAILED) return 1;
  printf("%lu\\n", (unsigned long)st.st_ino); fflush(stdout);
  pause();
  return 0;
}`, 'spoofer');
  // A real attachment beside it, so that shmkit looks for the attached processes at all.
  const holder = compileC(`#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (shmat(atoi(argv[1]), NULL, SHM_RDONLY) == (void *)-1) return 1;
  printf("ready\\n"); fflush(stdout);
  pause();
  return 0;
}`, 'holder');
  const bin = SHMKIT_SH;
  const r = shInOwnIpcNamespace(`set -e
    dir=$(mktemp -d)
    '${spoofer}' > "$dir/ino" &
    pid=$!
    while [ ! -s "$dir/ino" ]; do sleep 0.05; done
    ino=$(cat "$dir/ino")
    grep -F '${name}' /proc/$pid/maps | sed 's/^[^ ]* //'
    echo "$ino" > /proc/sys/kernel/shm_next_id
    id=$(${bin} create --key ${key} --size 4096)
    [ "$id" = "$ino" ] && echo "segment id = inode"
    '${holder}' "$id" > "$dir/held" &
    real=$!
    while [ ! -s "$dir/held" ]; do sleep 0.05; done
    ${bin} stat --id "$id" --json | tr -d ' \\n' | grep -o '"nattch":[0-9]*,\\|"attached":\\[[^]]*\\]' | sed "s/$real/REAL/"
    ${bin} list --pid | grep -c "$pid" || true
    kill $pid $real
    ${bin} rm --id "$id"
    rm -r "$dir"`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, new RegExp(`^rw-s 00000000 [0-9a-f]+:[0-9a-f]+ \\d+ +${name} \\(deleted\\)$`), 'the spoof looks like a System V mapping but for its device');
  assert.deepEqual(lines.slice(1), ['segment id = inode', '"nattch":1,', '"attached":[{"pid":REAL,"command":"holder","attachments":1}]', '0', '']);
});
