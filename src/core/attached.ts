// Which processes have which segments attached, from /proc/PID/maps: a System V mapping shows as
// "/SYSV<key in 8 hex digits>" with the shmid as its inode number (the key is 00000000 for private and removed ones).
//
// Segment ids are numbered per IPC namespace, and /proc shows the processes of every IPC namespace in the PID
// namespace (containers, unshare's IPC namespaces): id 0 here and id 0 in a container are different segments. So only the
// processes in our own IPC namespace count.
import { readdirSync, readFileSync } from 'node:fs';
import { segmentDevices } from '../sys/libc.js';
import { ipcNamespaceInode } from './namespace.js';
import type { AttachedProcess } from './types.js';

/**
 * A System V mapping's line in /proc/PID/maps, whole, as the kernel writes it: shared, at offset 0, on the device of
 * the kernel's internal shmem (or hugetlbfs) mount, the shmid as its inode, and the file name the kernel gives it,
 * /SYSV and the key in 8 hex digits, always deleted. A regular file that a process names /SYSV... and maps (or one
 * whose path merely ends so) differs at least by its device.
 */
const SYSV_MAPPING = /^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-]s 0+ ([0-9a-f]{2,}:[0-9a-f]{2,}) (\d+) +\/SYSV[0-9a-f]{8} \(deleted\)$/;

/** Reads every process's maps once; returns shmid -> processes in this IPC namespace that have it attached. */
export function scanAttachments(procRoot = '/proc'): Map<number, AttachedProcess[]> {
  const result = new Map<number, AttachedProcess[]>();
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return result;
  }
  // Without namespaces (a kernel without CONFIG_IPC_NS) every process shares ours.
  const ours = ipcNamespaceInode('self', procRoot);
  let devices: Set<string> | undefined;
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let maps: string;
    try {
      maps = readFileSync(`${procRoot}/${entry}/maps`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    let at = maps.indexOf(' /SYSV');
    if (at < 0) continue;
    const pid = Number(entry);
    const counts = new Map<number, number>();
    for (; at >= 0; at = maps.indexOf(' /SYSV', at + 6)) {
      const start = maps.lastIndexOf('\n', at) + 1;
      const end = maps.indexOf('\n', at);
      const m = SYSV_MAPPING.exec(maps.slice(start, end < 0 ? maps.length : end));
      if (m === null) continue;
      // Where the kernel cannot tell us its devices (no memfd_create), the rest of the line has to do.
      devices ??= segmentDevices();
      if (devices.size > 0 && !devices.has(m[1]!)) continue;
      const inode = Number(m[2]);
      counts.set(inode, (counts.get(inode) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    // Another namespace's ids only look like ours; a process whose namespace we cannot read (it exited since) is left out.
    if (ours !== null && ipcNamespaceInode(Number(entry), procRoot) !== ours) continue;
    let command = '';
    try {
      command = readFileSync(`${procRoot}/${entry}/comm`, 'utf8').replace(/\n$/, '');
    } catch {
      // raced with its exit
    }
    for (const [id, attachments] of counts) {
      let list = result.get(id);
      if (!list) result.set(id, (list = []));
      list.push({ pid, command, attachments });
    }
  }
  return result;
}

/** The processes that have segment id attached. */
export function attachedTo(id: number, procRoot = '/proc'): AttachedProcess[] {
  return scanAttachments(procRoot).get(id) ?? [];
}

/** Whether a process exists (EPERM means it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
