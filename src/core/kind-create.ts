// Creating a semaphore set (semget) or a message queue (msgget) with IPC_CREAT, as ipcmk -S and -Q do, with the
// choices a segment's create has: a key, IPC_PRIVATE or a random unused key, the mode, and exclusive or not.
import * as sys from '../sys/libc.js';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE } from '../sys/constants.js';
import { InputError, SysError, opError } from './errors.js';
import { NOUN } from './control.js';
import { createOrOpen } from './create.js';
import { formatKey } from './parse.js';

export interface CreateIpcOptions {
  /** A key, 'private' (IPC_PRIVATE), or undefined for a random unused key (as ipcmk picks one). */
  key?: number | 'private';
  /** The nine permission bits; 0o644 by default, as ipcmk. */
  mode?: number;
  /** Fail with EEXIST when the key is taken, instead of opening what has it. */
  exclusive?: boolean;
}

export interface CreatedIpc {
  id: number;
  key: number;
  /** False when the key had one already and it was opened. */
  created: boolean;
}


function createWith(ipc: 'sem' | 'msg', opts: CreateIpcOptions, get: (key: number, flags: number) => number): CreatedIpc {
  const mode = opts.mode ?? 0o644;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) throw new InputError(`mode ${mode.toString(8)} has bits beyond the nine permission bits (0 to 777)`);
  const explain = (e: unknown, key: number) => {
    if (!(e instanceof SysError)) return e;
    const k = key === IPC_PRIVATE ? 'IPC_PRIVATE' : `key ${formatKey(key)}`;
    switch (e.code) {
      case 'EEXIST':
        return opError(`${k} already has a ${NOUN[ipc]}`, e, { operation: 'create', fact: { kind: 'key-taken', key, holder: null, ipc }, hint: 'open it instead, or remove it first' });
      case 'ENOSPC':
        return opError(`no room for another ${NOUN[ipc]}`, e, {
          operation: 'create', hint: ipc === 'sem' ? 'the kernel.sem limits (semmni sets, semmns semaphores) are reached' : 'kernel.msgmni queues are in use',
        });
      case 'EINVAL':
        return opError(ipc === 'sem' ? `${k}: the number of semaphores is 0 or above semmsl, or more than its existing set has` : `${k}: refused`, e, { operation: 'create' });
      case 'EACCES':
        return opError(`${k}: permission denied`, e, { operation: 'create', fact: { kind: 'key-denied', key, ipc } });
      default:
        return opError(`create ${NOUN[ipc]}`, e);
    }
  };
  return createOrOpen(opts.key, opts.exclusive ?? false,
    (key, create) => ({ id: get(key, create ? mode | IPC_CREAT | IPC_EXCL : 0), key, created: create }), explain);
}

/** semget(IPC_CREAT) of a set of nsems semaphores (ipcmk -S), all 0. */
export function createSemaphoreSet(nsems: number, opts: CreateIpcOptions = {}): CreatedIpc {
  if (!Number.isInteger(nsems) || nsems < 1) throw new InputError(`a semaphore set has 1 or more semaphores, not ${nsems}`);
  return createWith('sem', opts, (key, flags) => sys.semget(key, flags & IPC_CREAT ? nsems : 0, flags));
}

/** msgget(IPC_CREAT) of a queue (ipcmk -Q). */
export function createQueue(opts: CreateIpcOptions = {}): CreatedIpc {
  return createWith('msg', opts, (key, flags) => sys.msgget(key, flags));
}
