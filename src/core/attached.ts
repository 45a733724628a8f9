// Which processes have which segments attached, from /proc/PID/maps: a System V mapping shows as
// "/SYSV<key in 8 hex digits>" with the shmid as its inode number (the key is 00000000 for private and removed ones).
//
// Segment ids are numbered per IPC namespace, and /proc shows the processes of every IPC namespace in the PID
// namespace (containers, unshare's IPC namespaces): id 0 here and id 0 in a container are different segments. So only the
// processes in our own IPC namespace count.
//
// The same line tells a segment on huge pages (SHM_HUGETLB) from one on normal pages: its device is the kernel's
// internal hugetlbfs mount for that page size instead of shmem's. Neither /proc/sysvipc/shm nor IPC_STAT says so, so
// this is the only place the fact shows without attaching (probePageSize attaches).
import { readdirSync, readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { Attachment } from './attachment.js';
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
  let devices: Map<string, number> | undefined;
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
    const counts = new Map<number, { attachments: number; pageSize: number | null }>();
    for (; at >= 0; at = maps.indexOf(' /SYSV', at + 6)) {
      const start = maps.lastIndexOf('\n', at) + 1;
      const end = maps.indexOf('\n', at);
      const m = SYSV_MAPPING.exec(maps.slice(start, end < 0 ? maps.length : end));
      if (m === null) continue;
      // Where the kernel cannot tell us its devices (no memfd_create), the rest of the line has to do.
      devices ??= segmentDevices();
      const pageSize = devices.get(m[1]!);
      if (devices.size > 0 && pageSize === undefined) continue;
      const inode = Number(m[2]);
      const seen = counts.get(inode);
      if (seen) seen.attachments++;
      else counts.set(inode, { attachments: 1, pageSize: pageSize ?? null });
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
    for (const [id, { attachments, pageSize }] of counts) {
      let list = result.get(id);
      if (!list) result.set(id, (list = []));
      list.push({ pid, command, attachments, pageSize });
    }
  }
  return result;
}

/** The processes that have segment id attached. */
export function attachedTo(id: number, procRoot = '/proc'): AttachedProcess[] {
  return scanAttachments(procRoot).get(id) ?? [];
}

let devicesOnce: Map<string, number> | undefined;

/**
 * The devices System V mappings live on, as /proc/PID/maps prints them, each with its page size in bytes: shmem's
 * (the base page size) and hugetlbfs's for every huge page size in /sys/kernel/mm/hugepages. Empty where
 * memfd_create is not there to ask (Linux < 3.17). Found once: the kernel's internal mounts do not change.
 */
export function segmentDevices(): Map<string, number> {
  if (devicesOnce) return devicesOnce;
  const devices = new Map<string, number>();
  const shmem = sys.segmentDevice(null);
  if (shmem !== null) devices.set(shmem, sys.pageSize());
  let sizes: string[] = [];
  try {
    sizes = readdirSync('/sys/kernel/mm/hugepages');
  } catch {
    // no hugetlbfs in this kernel
  }
  for (const name of sizes) {
    const kb = /^hugepages-(\d+)kB$/.exec(name);
    if (!kb) continue;
    const bytes = Number(kb[1]) * 1024;
    const device = sys.segmentDevice(Math.log2(bytes));
    if (device !== null) devices.set(device, bytes);
  }
  return (devicesOnce = devices);
}

/**
 * The page size of a segment as the mappings of the processes that have it attached show it (their device), or null
 * where none of them is visible: then nothing short of attaching it can tell (probePageSize).
 */
export function pageSizeOf(attached: readonly AttachedProcess[]): number | null {
  for (const p of attached) if (p.pageSize !== null) return p.pageSize;
  return null;
}

/** Whether a page size is a huge page's (larger than the base page); null stays null. */
export function isHugePageSize(pageSize: number | null): boolean | null {
  return pageSize === null ? null : pageSize > sys.pageSize();
}

/**
 * A segment's page size, learnt by attaching it read-only for a moment and reading the device of the mapping in
 * /proc/self/maps. Like every shmat and shmdt this sets its atime, dtime and lpid: callers ask for it. Needs read
 * permission; throws OperationError as attaching does. null where the kernel's devices are not known.
 */
export function probePageSize(id: number): number | null {
  const a = Attachment.attach({ id }, { readonly: true });
  try {
    const address = a.address;
    if (address === null) return null;
    const maps = readFileSync('/proc/self/maps', 'latin1');
    const prefix = `${address.toString(16)}-`;
    const line = maps.split('\n').find((l) => l.startsWith(prefix));
    const m = line === undefined ? null : SYSV_MAPPING.exec(line);
    return m === null ? null : segmentDevices().get(m[1]!) ?? null;
  } finally {
    a.detach();
  }
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
