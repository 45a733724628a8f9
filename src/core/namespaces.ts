// Every IPC namespace on the host, as /proc shows them: the distinct inodes of /proc/PID/ns/ipc, each with the
// processes in it (the lowest pid stands for them: a container's first process), the container its cgroup names, and
// the bind mounts that hold a namespace open with no process in it (nsfs in /proc/PID/mountinfo, as unshare(1)
// leaves one when given a file to bind it on). Reading another user's /proc/PID/ns/ipc needs CAP_SYS_PTRACE:
// the processes that could not be looked at are counted, never guessed at.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { INITIAL_IPC_NAMESPACE, ipcNamespaceInode } from './namespace.js';

/** The container a process is in, as its cgroup path names it. */
export interface Container {
  /** docker, podman, containerd, cri-o, kubernetes (a kubepods cgroup with no runtime in its name), nerdctl or lxc. */
  runtime: string;
  /** The container's id: 64 hex digits (for lxc, its name). */
  id: string;
}

/** A bind mount of an IPC namespace's file (nsfs), found in a mount namespace's mountinfo. */
export interface NamespaceMount {
  /** Where it is mounted, as the processes of that mount namespace see it. */
  mountPoint: string;
  /** A process of the mount namespace that has it: the file opens as /proc/PID/root followed by mountPoint. */
  pid: number;
  /** Whether that mount namespace is this process's own (mountPoint opens as it is). */
  ownMountNamespace: boolean;
}

/** One IPC namespace and who is in it. */
export interface IpcNamespaceRecord {
  /** The inode of its /proc/PID/ns/ipc, as lsns(8) shows it. */
  inode: number;
  /** The host's (the initial namespace). */
  initial: boolean;
  /** The one this thread is in. */
  current: boolean;
  /** How many processes are in it (0: held only by a bind mount). */
  processes: number;
  /** The lowest pid in it, null for none. */
  pid: number | null;
  /** That process's command name (/proc/PID/comm), null where it could not be read. */
  command: string | null;
  /** The container that process is in, where its cgroup shows one. */
  container: Container | null;
  /** Bind mounts of it. */
  mounts: NamespaceMount[];
}

export interface NamespaceScan {
  /** The host's first, then by their lowest pid, then those with no process. */
  namespaces: IpcNamespaceRecord[];
  /** The pids of the processes whose namespace could not be read (another user's, without CAP_SYS_PTRACE). */
  hidden: number[];
}

const HEX64 = '([0-9a-f]{64})';
/** Runtime and the pattern of its cgroup path's last component or tail, most specific first. */
const CONTAINER_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['docker', new RegExp(`(?:^|/)docker-${HEX64}\\.scope$`)],
  ['docker', new RegExp(`(?:^|/)docker/${HEX64}$`)],
  ['podman', new RegExp(`(?:^|/)libpod-${HEX64}\\.scope(?:/container)?$`)],
  ['podman', new RegExp(`(?:^|/)libpod_parent/libpod-${HEX64}$`)],
  ['containerd', new RegExp(`(?:^|/)cri-containerd-${HEX64}\\.scope$`)],
  ['cri-o', new RegExp(`(?:^|/)crio-${HEX64}\\.scope$`)],
  ['nerdctl', new RegExp(`(?:^|/)nerdctl-${HEX64}\\.scope$`)],
  ['kubernetes', new RegExp(`(?:^|/)kubepods[^/]*(?:/[^/]+)*/${HEX64}$`)],
  ['containerd', new RegExp(`^/default/${HEX64}$`)],
  ['lxc', /(?:^|\/)lxc\.payload\.([^/]+)$/],
  ['lxc', /^\/lxc\/([^/]+)$/],
];

/**
 * The container that /proc/PID/cgroup's text puts a process in: Docker (systemd's docker-ID.scope or cgroupfs's
 * /docker/ID), podman (libpod-ID.scope; conmon's libpod-conmon-ID.scope is not the container), containerd (cri-containerd-ID.scope,
 * or /default/ID), CRI-O, nerdctl, a kubepods path ending in an id, and LXC. null for none.
 */
export function containerOf(cgroupText: string): Container | null {
  for (const line of cgroupText.split('\n')) {
    // hierarchy-ID:controllers:path (cgroup v1 lines and the v2 line "0::path")
    const path = line.split(':').slice(2).join(':');
    if (path === '' || path === '/') continue;
    for (const [runtime, pattern] of CONTAINER_PATTERNS) {
      const m = pattern.exec(path);
      if (m) return { runtime, id: m[1]! };
    }
  }
  return null;
}

/** mountinfo's octal escapes (\040 for a space, \011, \012, \134) undone. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The IPC namespace bind mounts in one mountinfo text: inode -> mount points. */
export function ipcNamespaceMounts(mountinfo: string): Array<{ inode: number; mountPoint: string }> {
  const out: Array<{ inode: number; mountPoint: string }> = [];
  for (const line of mountinfo.split('\n')) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const dash = line.indexOf(' - ');
    if (dash < 0 || !line.startsWith('nsfs ', dash + 3)) continue;
    const f = line.slice(0, dash).split(' ');
    const m = /^ipc:\[(\d+)\]$/.exec(f[3] ?? '');
    if (m && f[4] !== undefined) out.push({ inode: Number(m[1]), mountPoint: unescapeMount(f[4]) });
  }
  return out;
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** Every IPC namespace /proc shows, with who is in it and what holds it. */
export function findIpcNamespaces(procRoot = '/proc'): NamespaceScan {
  const current = ipcNamespaceInode('self', procRoot);
  const ownMount = inodeOf(`${procRoot}/thread-self/ns/mnt`);
  const found = new Map<number, IpcNamespaceRecord>();
  const record = (inode: number): IpcNamespaceRecord => {
    let r = found.get(inode);
    if (!r) {
      r = { inode, initial: inode === INITIAL_IPC_NAMESPACE, current: inode === current, processes: 0, pid: null, command: null, container: null, mounts: [] };
      found.set(inode, r);
    }
    return r;
  };
  if (current !== null) record(current);
  const hidden: number[] = [];
  const mountNamespaces = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    entries = [];
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    let inode: number;
    try {
      inode = statSync(`${procRoot}/${pid}/ns/ipc`).ino;
    } catch (e) {
      // Gone since the listing (ENOENT, ESRCH) is no one; EACCES and EPERM are a process we may not look at.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') hidden.push(pid);
      continue;
    }
    const r = record(inode);
    r.processes++;
    if (r.pid === null) r.pid = pid;
    const mnt = inodeOf(`${procRoot}/${pid}/ns/mnt`);
    if (mnt !== null && !mountNamespaces.has(mnt)) {
      mountNamespaces.add(mnt);
      const text = readText(`${procRoot}/${pid}/mountinfo`);
      for (const m of text === null ? [] : ipcNamespaceMounts(text)) {
        record(m.inode).mounts.push({ mountPoint: m.mountPoint, pid, ownMountNamespace: mnt === ownMount });
      }
    }
  }
  for (const r of found.values()) {
    if (r.pid === null) continue;
    r.command = readText(`${procRoot}/${r.pid}/comm`)?.replace(/\n$/, '') ?? null;
    const cgroup = readText(`${procRoot}/${r.pid}/cgroup`);
    r.container = cgroup === null ? null : containerOf(cgroup);
  }
  const namespaces = [...found.values()].sort((a, b) => (a.initial !== b.initial ? (a.initial ? -1 : 1)
    : a.pid === null || b.pid === null ? (a.pid === null ? 1 : 0) - (b.pid === null ? 1 : 0) || a.inode - b.inode
      : a.pid - b.pid));
  return { namespaces, hidden };
}

function inodeOf(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** The capabilities (CAP_SYS_PTRACE = 19, CAP_SYS_ADMIN = 21) in this thread's effective set, from /proc; null where it cannot be read. */
export function hasCapability(bit: number, procRoot = '/proc'): boolean | null {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readText(`${procRoot}/thread-self/status`) ?? '');
  return m ? ((BigInt(`0x${m[1]}`) >> BigInt(bit)) & 1n) === 1n : null;
}

export const CAP_SYS_PTRACE = 19;
export const CAP_SYS_ADMIN = 21;
