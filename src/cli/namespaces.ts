// Working in every IPC namespace (list, info and rm with --all-namespaces): each namespace visited in turn, the line
// and the JSON that name one, and the one line that says what could not be looked at.
import { OperationError, ShmkitError } from '../core/errors.js';
import { inIpcNamespace } from '../core/namespace-visit.js';
import { CAP_SYS_ADMIN, CAP_SYS_PTRACE, type IpcNamespaceRecord, type NamespaceScan, findIpcNamespaces, hasCapability } from '../core/namespaces.js';
import type { Json } from './format/json.js';
import { notice } from './output.js';

/** A namespace and what fn gave in it, or why it could not be entered. */
export interface Visited<T> {
  ns: IpcNamespaceRecord;
  result: T | undefined;
  /** Why it was not entered (EPERM without CAP_SYS_ADMIN). */
  error: ShmkitError | undefined;
}

export interface Visits<T> {
  scan: NamespaceScan;
  visited: Array<Visited<T>>;
}

/**
 * fn's result in each namespace of a scan, in the scan's order. One that is gone since the scan (its last process
 * exited) is left out: its objects went with it. fn must be synchronous (inIpcNamespace).
 */
export function eachNamespace<T>(fn: (ns: IpcNamespaceRecord) => T): Visits<T> {
  const scan = findIpcNamespaces();
  const visited: Array<Visited<T>> = [];
  for (const ns of scan.namespaces) {
    try {
      visited.push({ ns, result: inIpcNamespace(ns, () => fn(ns)), error: undefined });
    } catch (e) {
      if (!(e instanceof ShmkitError) || e.fact === undefined) throw e;
      if (e.fact.kind === 'no-namespace') continue;
      if (e.fact.kind !== 'namespace-denied') throw e;
      visited.push({ ns, result: undefined, error: e });
    }
  }
  return { scan, visited };
}

const processes = (n: number) => `${n} process${n === 1 ? '' : 'es'}`;

/** Who is in a namespace, in a few words: "pid 812 (postgres), docker 3f2a9c1b7d4e, 3 processes". */
export function whoIsIn(ns: IpcNamespaceRecord): string {
  const parts: string[] = [];
  if (ns.pid !== null) {
    parts.push(`pid ${ns.pid}${ns.command === null ? '' : ` (${ns.command})`}`);
    if (ns.container) parts.push(`${ns.container.runtime} ${ns.container.runtime === 'lxc' ? ns.container.id : ns.container.id.slice(0, 12)}`);
    parts.push(processes(ns.processes));
  } else {
    parts.push('no process');
  }
  if (ns.mounts.length) {
    const at = ns.mounts.map((m) => (m.ownMountNamespace ? m.mountPoint : `${m.mountPoint} (in the mount namespace of pid ${m.pid})`));
    parts.push(`${ns.pid === null ? 'held by' : 'and'} a bind mount on ${at.join(', ')}`);
  }
  return parts.join(', ');
}

/** The line over a namespace's part of a listing. */
export function namespaceLine(v: Visited<unknown>): string {
  const whose = v.ns.initial ? " (the host's)" : '';
  const not = v.error ? `; not entered: ${v.error.sys ? `setns: ${v.error.sys.code}` : v.error.detail}` : '';
  return `IPC namespace ${v.ns.inode}${whose}: ${whoIsIn(v.ns)}${not}\n`;
}

/** A namespace as --json names it. */
export function namespaceJson(v: Visited<unknown>): Json {
  const { ns } = v;
  return {
    inode: ns.inode, initial: ns.initial, current: ns.current, pid: ns.pid, command: ns.command,
    container: ns.container && { runtime: ns.container.runtime, id: ns.container.id },
    processes: ns.processes,
    mounts: ns.mounts.map((m) => ({ mountPoint: m.mountPoint, pid: m.pid })),
    entered: v.error === undefined,
  };
}

/**
 * After the output: what could not be seen or entered. Without CAP_SYS_PTRACE or CAP_SYS_ADMIN, a failure (exit 1)
 * whose one line names the capability; with them, processes still hidden (EACCES even so) are a notice.
 */
export function checkVisits(command: string, { scan, visited }: Visits<unknown>): void {
  const denied = visited.filter((v) => v.error !== undefined);
  const hidden = scan.hidden.length;
  const noPtrace = hidden > 0 && hasCapability(CAP_SYS_PTRACE) !== true;
  const problems: string[] = [];
  if (noPtrace) problems.push(`the IPC namespace of ${processes(hidden)} of other users is hidden (reading /proc/PID/ns/ipc needs CAP_SYS_PTRACE)`);
  if (denied.length) {
    const admin = hasCapability(CAP_SYS_ADMIN) !== true ? ' (setns needs CAP_SYS_ADMIN)' : '';
    problems.push(`${denied.length} of ${visited.length} IPC namespaces could not be entered${admin}: ${denied.map((v) => v.ns.inode).join(', ')}`);
  }
  if (problems.length) throw new OperationError(`${problems.join('; and ')}; what was listed is what this user can see`, { hint: 'run it as root' });
  if (hidden > 0) {
    const some = scan.hidden.slice(0, 3).join(', ') + (hidden > 3 ? ', ...' : '');
    notice(command, `/proc/PID/ns/ipc of ${processes(hidden)} could not be read even with CAP_SYS_PTRACE (pid ${some}); ` +
      `a namespace only ${hidden === 1 ? 'it is' : 'they are'} in is not listed`);
  }
}
