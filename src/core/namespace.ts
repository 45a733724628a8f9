// The IPC namespace a process is in. Segment ids and keys, the limits and the usage are all the namespace's own: a
// container (docker without the host's IPC namespace) or a process unshare(CLONE_NEWIPC) moved sees none of the
// host's segments, and its id 0 is another segment than the host's id 0. /proc/PID/ns/ipc names the namespace by an inode number.
import { statSync } from 'node:fs';

/** The initial (host's) IPC namespace's inode number: PROC_IPC_INIT_INO in the kernel's include/linux/proc_ns.h. */
export const INITIAL_IPC_NAMESPACE = 0xefffffff;

export interface IpcNamespace {
  /** The inode number of /proc/PID/ns/ipc, as lsns(8) shows it. */
  inode: number;
  /** Whether it is the host's (the initial one). */
  initial: boolean;
}

/**
 * The inode of a process's IPC namespace; null where it cannot be told (no such process, not ours to see, or a kernel
 * without namespaces). 'self' is the calling thread's (/proc/thread-self): setns(2) moves a thread, not a process.
 */
export function ipcNamespaceInode(pid: number | 'self' = 'self', procRoot = '/proc'): number | null {
  try {
    return statSync(`${procRoot}/${pid === 'self' ? 'thread-self' : pid}/ns/ipc`).ino;
  } catch {
    return null;
  }
}

/** This process's IPC namespace, or null where the kernel does not show it. */
export function currentIpcNamespace(): IpcNamespace | null {
  const inode = ipcNamespaceInode();
  return inode === null ? null : { inode, initial: inode === INITIAL_IPC_NAMESPACE };
}
