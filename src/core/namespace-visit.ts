// Going into another IPC namespace and back: setns(2) on the namespace's file, in this thread.
//
// Why setns in this process rather than a helper process per namespace: every IPC call this library makes (koffi's calls are
// synchronous) and every read of /proc/sysvipc and /proc/sys/kernel is made on node's main thread, and setns moves the
// calling thread alone; the kernel answers those reads for the reading thread's namespace. So one process lists a
// hundred namespaces in one start-up, with the same code that lists its own, where a helper would cost a node start
// (~90 ms) for each and a way to ship records back. What it asks of a caller: nothing asynchronous may be left
// running across the move (a read on libuv's thread pool would be made in the namespace that thread is in).
// inIpcNamespace runs a synchronous function and comes back; enterIpcNamespace moves for good, for a command that
// works in one namespace from start to end.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { InputError, OperationError, SysError, opError, sysErrorFrom } from './errors.js';
import { ipcNamespaceInode } from './namespace.js';
import { type IpcNamespaceRecord, findIpcNamespaces } from './namespaces.js';
import { shorten } from './parse.js';

/** A namespace named by a process in it, by its inode (as lsns shows it), or by a file (/proc/PID/ns/ipc, a bind mount). */
export type NamespaceRef = { pid: number } | { inode: number } | { path: string };

/** The kernel's PID_MAX_LIMIT on 64-bit: no pid is above it, and every namespace inode is (they start at 0xf0000000). */
export const PID_MAX_LIMIT = 4194304;

/** PID, INODE, ipc:[INODE] (as readlink /proc/PID/ns/ipc prints it), or a path with a slash in it. */
export function parseNamespaceRef(text: string): NamespaceRef {
  const t = text.trim();
  const link = /^ipc:\[(\d+)\]$/.exec(t);
  if (link) return { inode: Number(link[1]) };
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= PID_MAX_LIMIT) return { pid: n };
    if (n > PID_MAX_LIMIT && n <= 0xffffffff) return { inode: n };
  } else if (t.includes('/')) {
    return { path: t };
  }
  throw new InputError(`'${shorten(text)}' names no IPC namespace`,
    'give a pid in it, its inode (as lsns -t ipc shows it: 4026531839), or its file (/proc/PID/ns/ipc, or a bind mount of one)');
}

/** An open namespace file and the namespace's inode. */
interface Opened {
  fd: number;
  inode: number;
}

/** Non-blocking: a path that names a FIFO must not wait for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function openFile(path: string, who: { pid?: number; path?: string }): Opened {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const err = sysErrorFrom(e) ?? new SysError('open', 0, 'EIO', String(e));
    if (err.code === 'ENOENT' || err.code === 'ESRCH') {
      const what = who.pid !== undefined ? `no process has pid ${who.pid}` : `no such file: ${who.path}`;
      throw new OperationError(what, { sys: err, operation: 'open IPC namespace', fact: { kind: 'no-namespace', ...who } });
    }
    if (err.code === 'EACCES' || err.code === 'EPERM') {
      throw opError(`open ${path}`, err, { fact: { kind: 'namespace-denied', need: 'CAP_SYS_PTRACE', inode: null, pid: who.pid ?? null } });
    }
    throw opError(`open ${path}`, err);
  }
  return { fd, inode: fstatSync(fd).ino };
}

/** A namespace of the scan, through its process or else a bind mount, checked to be that namespace still. */
function openRecord(ns: IpcNamespaceRecord): Opened {
  const paths = [
    ...(ns.pid === null ? [] : [`/proc/${ns.pid}/ns/ipc`]),
    ...ns.mounts.map((m) => (m.ownMountNamespace ? m.mountPoint : `/proc/${m.pid}/root${m.mountPoint}`)),
  ];
  let denied: OperationError | undefined;
  for (const path of paths) {
    let opened: Opened;
    try {
      opened = openFile(path, { path });
    } catch (e) {
      if (e instanceof OperationError && e.fact?.kind === 'namespace-denied') denied = e;
      continue;
    }
    // The pid may have gone and come back as another process since the scan.
    if (opened.inode === ns.inode) return opened;
    closeSync(opened.fd);
  }
  if (denied) throw denied;
  throw new OperationError(`IPC namespace ${ns.inode} is gone (nothing holds it any more)`, { fact: { kind: 'no-namespace', inode: ns.inode } });
}

function open(ref: NamespaceRef | IpcNamespaceRecord): Opened {
  if ('mounts' in ref) return openRecord(ref);
  if ('inode' in ref) {
    const ns = findIpcNamespaces().namespaces.find((n) => n.inode === ref.inode);
    if (!ns) throw new OperationError(`no IPC namespace has inode ${ref.inode}`, { fact: { kind: 'no-namespace', inode: ref.inode } });
    return openRecord(ns);
  }
  return 'pid' in ref ? openFile(`/proc/${ref.pid}/ns/ipc`, { pid: ref.pid }) : openFile(ref.path, { path: ref.path });
}

function join(opened: Opened, name: string): void {
  try {
    sys.setIpcNamespace(opened.fd);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EINVAL') throw new InputError(`${name} is not an IPC namespace's file (setns: EINVAL)`);
    if (e.code === 'EPERM') {
      throw opError(`enter IPC namespace ${opened.inode}`, e, { fact: { kind: 'namespace-denied', need: 'CAP_SYS_ADMIN', inode: opened.inode, pid: null } });
    }
    throw opError(`enter IPC namespace ${opened.inode}`, e);
  }
}

const nameOf = (ref: NamespaceRef | IpcNamespaceRecord) => ('mounts' in ref || 'inode' in ref ? `inode ${ref.inode}` : 'pid' in ref ? `/proc/${ref.pid}/ns/ipc` : ref.path);

/**
 * Moves this thread into the namespace for good (a command's whole run); returns its inode. Staying where it is
 * makes no call: setns would want CAP_SYS_ADMIN even for that.
 */
export function enterIpcNamespace(ref: NamespaceRef | IpcNamespaceRecord): number {
  const opened = open(ref);
  try {
    if (opened.inode !== ipcNamespaceInode()) join(opened, nameOf(ref));
    return opened.inode;
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * fn's result, run in the namespace and back: what it reads and does (list, stat, info, remove) is that namespace's.
 * fn must be synchronous: a promise would run on after the way back, in this namespace.
 */
export function inIpcNamespace<T>(ref: NamespaceRef | IpcNamespaceRecord, fn: () => T): T {
  const opened = open(ref);
  let back: number | undefined;
  try {
    if (opened.inode === ipcNamespaceInode()) return synchronous(fn());
    back = openSync('/proc/thread-self/ns/ipc', 'r');
    join(opened, nameOf(ref));
    try {
      return synchronous(fn());
    } finally {
      sys.setIpcNamespace(back); // our own namespace: it let us out, it lets us back
    }
  } finally {
    closeSync(opened.fd);
    if (back !== undefined) closeSync(back);
  }
}

function synchronous<T>(value: T): T {
  if (typeof (value as { then?: unknown } | null)?.then === 'function') throw new TypeError('inIpcNamespace runs synchronous functions only');
  return value;
}
