// The fix a user types, for each fact a core error carries (core/errors.ts Fact): the commands and options are the
// command line's words, so they are said here and nowhere in core. An error without a fact keeps core's own words.
import type { Fact, ShmkitError } from '../core/errors.js';
import { groupName, userName } from '../core/names.js';
import { formatKey, formatMode } from '../core/parse.js';

/** The message (with the failed call's errno, where there was one) and the hint, as the command line words them. */
export interface Words {
  message: string;
  hint: string | undefined;
}

/** A user as a hint names one: "root (uid 0)", or "uid 4321" where it has no name. */
function who(uid: number): string {
  const name = userName(uid);
  return name === null ? `uid ${uid}` : `${name} (uid ${uid})`;
}

/** The list option, stat option and plural of each kind that is not a segment. */
const listFlag = (ipc: 'sem' | 'msg' | undefined) => (ipc === 'sem' ? ' --sem' : ipc === 'msg' ? ' --queues' : '');
const kindFlag = (ipc: 'sem' | 'msg' | undefined, what: 'key' | 'id') => (ipc === 'sem' ? `--sem --${what} ` : ipc === 'msg' ? `--queue --${what} ` : `--${what} `);
const objects = (ipc: 'sem' | 'msg' | undefined) => (ipc === 'sem' ? 'semaphore sets' : ipc === 'msg' ? 'message queues' : 'segments');

/** What cli says for a fact: a hint, and where core's message itself names a lockstep word, the message too. */
function forFact(f: Fact, sysText: string, e: ShmkitError): { message?: string; hint?: string } {
  switch (f.kind) {
    case 'key-taken':
      if (e.operation === 'restore') return { hint: 'restore it under another key (--key KEY or --private), or write over it with --force (only one of the same size)' };
      if (f.ipc) return { hint: `drop --exclusive to open it, or remove it with: shmkit rm --${f.ipc === 'sem' ? 'sem' : 'queue'}-key ${formatKey(f.key)}` };
      return {
        hint: f.holder
          ? `segment ${f.holder.id} has it (${f.holder.size} bytes, mode ${formatMode(f.holder.mode)}); drop --exclusive to open it, or remove it with: shmkit rm --id ${f.holder.id}`
          : 'drop --exclusive to open the existing segment',
      };
    case 'key-smaller':
      return { hint: `ask for ${f.holder.size} bytes or fewer, or remove it first: shmkit rm --id ${f.holder.id}` };
    case 'above-shmmax':
      return { hint: 'raise it with: sysctl kernel.shmmax=BYTES' };
    case 'no-room':
      return { hint: `remove segments nobody uses (shmkit list --orphans), or raise the limit: sysctl kernel.${f.limit}=${f.used + f.asked}` };
    case 'key-denied':
      return { hint: `its mode does not let you read and write it; see shmkit stat ${kindFlag(f.ipc, 'key')}${formatKey(f.key)}` };
    case 'private-key':
      return { hint: `name it by its id (shmkit list${listFlag(f.ipc)} shows ids)` };
    case 'no-key':
      return { hint: `shmkit list${listFlag(f.ipc)} shows the ${objects(f.ipc)} there are` };
    case 'no-id':
      return { hint: `it may have been removed; shmkit list${listFlag(f.ipc)} shows the ${objects(f.ipc)} there are` };
    case 'id-denied':
      return { hint: `its mode does not give you that access; shmkit list${listFlag(f.ipc)} shows owner and perms` };
    case 'write-denied':
      return { hint: 'writing needs read and write permission on the segment (see shmkit stat)' };
    case 'set-denied':
      return { hint: `only its owner, ${who(f.uid)}, its creator, ${who(f.cuid)}, or a process with CAP_SYS_ADMIN may change it` };
    case 'lock-denied': {
      const limit = `ulimit -l: ${f.memlock === null ? 'unlimited' : `${f.memlock / 1024n} KiB`}`;
      return {
        hint: e.sys?.code === 'ENOMEM'
          ? `its ${f.size} bytes are more than your locked-memory limit allows (${limit}); raise it, or lock as root (CAP_IPC_LOCK)`
          : `it needs CAP_IPC_LOCK (root), or being its owner, ${who(f.uid)}, or creator, ${who(f.cuid)}, with a locked-memory limit above 0 (${limit})`,
      };
    }
    case 'no-huge-pages':
      return { hint: `reserve them first: sysctl vm.nr_hugepages=${f.total - f.free + f.needed} (as root; /proc/meminfo shows HugePages_Free)` };
    case 'huge-pages-denied':
      return { hint: `huge pages need CAP_IPC_LOCK (root), or membership of vm.hugetlb_shm_group (now gid ${f.group}${groupName(f.group) ? `, ${groupName(f.group)}` : ''})` };
    case 'bad-id':
      return { hint: 'an id is a non-negative decimal number, as `shmkit list` shows' };
    case 'lockstep-reader-running':
      return { message: `another --sync reader is running on key ${formatKey(f.key)}` };
    case 'no-lockstep-writer':
      return {
        message: f.segment === 'completed'
          ? 'a writer without --sync completed the segment: no block came in lockstep'
          : 'the segment was removed before a --sync writer came',
        hint: 'run the writer with --sync too',
      };
    case 'foreign-sem-set':
      return {
        message: `key ${formatKey(f.key)} has a semaphore set that is not a shmkit --sync set${sysText}`,
        hint: `remove it if it is stale: ipcrm -S ${formatKey(f.key)}`,
      };
    case 'sem-set-uninitialised':
      return { hint: `remove it and start again: ipcrm -s ${f.id}` };
    case 'not-seed-segment':
      return { hint: `it is not a writer/reader segment; remove it (shmkit rm --key ${formatKey(f.key)}) or use another --key` };
    case 'namespace-denied':
      return {
        hint: f.need === 'CAP_SYS_ADMIN'
          ? 'entering another IPC namespace (setns) needs CAP_SYS_ADMIN: run it as root'
          : `another user's process${f.pid === null ? '' : ` (pid ${f.pid})`}: looking at its namespace needs CAP_SYS_PTRACE: run it as root`,
      };
    case 'no-namespace':
      return { hint: 'shmkit list --all-namespaces (as root) or lsns -t ipc shows the IPC namespaces there are' };
  }
}

/**
 * The words for a core error. `command` is the command that ran: where the failed operation is that command itself
 * ("stat" failing in shmkit stat), the operation is not said twice.
 */
export function wordsFor(e: ShmkitError, command: string | null): Words {
  const sysText = e.sys ? `: ${e.sys.code} (${e.sys.description})` : '';
  const said = e.fact ? forFact(e.fact, sysText, e) : {};
  const text = said.message ?? e.detail;
  // A segment that is not there is not there for any call: "no segment has id 5" reads the same in every command.
  const absent = e.fact?.kind === 'no-id' || e.fact?.kind === 'no-key';
  const message = e.operation !== undefined && e.operation !== command && !absent ? `${e.operation}: ${text}` : text;
  return { message, hint: said.hint ?? e.hint };
}

/** The waiting notice of a lockstep writer or reader. */
export function waitingNotice(w: { for: 'reader' | 'writer'; key: number }): string {
  return `waiting for a ${w.for}: run "shmkit ${w.for} --sync --key ${formatKey(w.key)}" in another terminal`;
}
