// Which processes are blocked on a semaphore set or a message queue, from /proc/PID/syscall: a process asleep in a
// system call shows its number and arguments there ("65 0x8 0x7ffd... 0x1 ..." for semop(8, sops, 1)). For semop
// and semtimedop the semaphores it waits on are in its sembuf array, read from /proc/PID/mem (the same access as
// ptrace: root, or the process's own user where ptrace_scope allows). The kernel's ncount and zcount say how many
// wait; this says who. Only processes in our own IPC namespace count, as for attachments.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { ipcNamespaceInode } from './namespace.js';

/** x86_64 system call numbers. */
const SYS_SEMOP = 65;
const SYS_MSGSND = 69;
const SYS_MSGRCV = 70;
const SYS_SEMTIMEDOP = 220;

export interface Waiter {
  pid: number;
  command: string;
  call: 'semop' | 'semtimedop' | 'msgsnd' | 'msgrcv';
  /** For semop and semtimedop: each operation it waits to perform (sem_num, sem_op); null where its memory could not be read. */
  ops: Array<{ num: number; op: number }> | null;
}

export interface Waiters {
  /** semid -> the processes blocked in semop on it. */
  sem: Map<number, Waiter[]>;
  /** msqid -> the processes blocked in msgsnd or msgrcv on it. */
  msg: Map<number, Waiter[]>;
}

function readOps(pid: number, address: bigint, count: number): Array<{ num: number; op: number }> | null {
  if (count <= 0 || count > 500 || address === 0n || address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
  } catch {
    return null;
  }
  try {
    const b = Buffer.alloc(6 * count);
    if (readSync(fd, b, 0, b.length, Number(address)) !== b.length) return null;
    const ops: Array<{ num: number; op: number }> = [];
    for (let i = 0; i < count; i++) ops.push({ num: b.readUInt16LE(i * 6), op: b.readInt16LE(i * 6 + 2) });
    return ops;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Every process of this IPC namespace blocked in semop, semtimedop, msgsnd or msgrcv, by the object it waits on. */
export function scanWaiters(procRoot = '/proc'): Waiters {
  const out: Waiters = { sem: new Map(), msg: new Map() };
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return out;
  }
  const ours = ipcNamespaceInode('self', procRoot);
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let line: string;
    try {
      line = readFileSync(`${procRoot}/${entry}/syscall`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    const f = line.trim().split(' ');
    const nr = Number(f[0]);
    if (nr !== SYS_SEMOP && nr !== SYS_SEMTIMEDOP && nr !== SYS_MSGSND && nr !== SYS_MSGRCV) continue;
    if (ours !== null && ipcNamespaceInode(pid, procRoot) !== ours) continue;
    const id = Number(BigInt(f[1] ?? '0') & 0x7fffffffn);
    let command = '';
    try {
      command = readFileSync(`${procRoot}/${entry}/comm`, 'utf8').replace(/\n$/, '');
    } catch {
      // raced with its exit
    }
    const isSem = nr === SYS_SEMOP || nr === SYS_SEMTIMEDOP;
    const waiter: Waiter = {
      pid, command, call: nr === SYS_SEMOP ? 'semop' : nr === SYS_SEMTIMEDOP ? 'semtimedop' : nr === SYS_MSGSND ? 'msgsnd' : 'msgrcv',
      ops: isSem ? readOps(pid, BigInt(f[2] ?? '0'), Number(BigInt(f[3] ?? '0'))) : null,
    };
    const map = isSem ? out.sem : out.msg;
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    list.push(waiter);
  }
  return out;
}
