// The struct layouts of x86_64 glibc, declared to koffi (checked against offsetof() in test/sys/layout.test.ts), and
// the byte offsets read from those declarations, with which the shm and sem calls read their reusable Buffers.
import type { TypeObject } from 'koffi';
import { native } from './load.js';

function declareLayouts() {
  const { koffi } = native();
  const ipc_perm = koffi.struct('shmkit_ipc_perm', {
    key: 'int32_t', uid: 'uint32_t', gid: 'uint32_t', cuid: 'uint32_t', cgid: 'uint32_t', mode: 'uint32_t',
    seq: 'uint16_t', pad2: 'uint16_t', reserved1: 'unsigned long', reserved2: 'unsigned long',
  });
  const shmid_ds = koffi.struct('shmkit_shmid_ds', {
    shm_perm: ipc_perm, shm_segsz: 'size_t', shm_atime: 'int64_t', shm_dtime: 'int64_t', shm_ctime: 'int64_t',
    shm_cpid: 'int32_t', shm_lpid: 'int32_t', shm_nattch: 'unsigned long', reserved5: 'unsigned long', reserved6: 'unsigned long',
  });
  const shminfo = koffi.struct('shmkit_shminfo', {
    shmmax: 'unsigned long', shmmin: 'unsigned long', shmmni: 'unsigned long', shmseg: 'unsigned long', shmall: 'unsigned long',
    reserved1: 'unsigned long', reserved2: 'unsigned long', reserved3: 'unsigned long', reserved4: 'unsigned long',
  });
  const shm_info = koffi.struct('shmkit_shm_info', {
    used_ids: 'int', shm_tot: 'unsigned long', shm_rss: 'unsigned long', shm_swp: 'unsigned long',
    swap_attempts: 'unsigned long', swap_successes: 'unsigned long',
  });
  const sembuf = koffi.struct('shmkit_sembuf', { sem_num: 'unsigned short', sem_op: 'short', sem_flg: 'short' });
  const semid_ds = koffi.struct('shmkit_semid_ds', {
    sem_perm: ipc_perm, sem_otime: 'int64_t', reserved1: 'unsigned long', sem_ctime: 'int64_t', reserved2: 'unsigned long',
    sem_nsems: 'unsigned long', reserved3: 'unsigned long', reserved4: 'unsigned long',
  });
  const timespec = koffi.struct('shmkit_timespec', { tv_sec: 'int64_t', tv_nsec: 'long' });

  const off = (t: TypeObject, path: string): number => {
    let type = t;
    let total = 0;
    for (const part of path.split('.')) {
      const member = type.members?.[part];
      if (!member) throw new Error(`no member ${part}`);
      total += member.offset;
      type = member.type;
    }
    return total;
  };

  /** Byte offsets derived from the declarations above. */
  const OFF = {
    key: off(shmid_ds, 'shm_perm.key'), uid: off(shmid_ds, 'shm_perm.uid'), gid: off(shmid_ds, 'shm_perm.gid'),
    cuid: off(shmid_ds, 'shm_perm.cuid'), cgid: off(shmid_ds, 'shm_perm.cgid'), mode: off(shmid_ds, 'shm_perm.mode'),
    segsz: off(shmid_ds, 'shm_segsz'), atime: off(shmid_ds, 'shm_atime'), dtime: off(shmid_ds, 'shm_dtime'),
    ctime: off(shmid_ds, 'shm_ctime'), cpid: off(shmid_ds, 'shm_cpid'), lpid: off(shmid_ds, 'shm_lpid'),
    nattch: off(shmid_ds, 'shm_nattch'),
    shmmax: off(shminfo, 'shmmax'), shmmin: off(shminfo, 'shmmin'), shmmni: off(shminfo, 'shmmni'),
    shmseg: off(shminfo, 'shmseg'), shmall: off(shminfo, 'shmall'),
    used_ids: off(shm_info, 'used_ids'), shm_tot: off(shm_info, 'shm_tot'), shm_rss: off(shm_info, 'shm_rss'),
    shm_swp: off(shm_info, 'shm_swp'), swap_attempts: off(shm_info, 'swap_attempts'), swap_successes: off(shm_info, 'swap_successes'),
    sem_otime: off(semid_ds, 'sem_otime'), sem_nsems: off(semid_ds, 'sem_nsems'), sem_mode: off(semid_ds, 'sem_perm.mode'),
    sem_uid: off(semid_ds, 'sem_perm.uid'), sem_cuid: off(semid_ds, 'sem_perm.cuid'),
  } as const;
  return { ipc_perm, shmid_ds, shminfo, shm_info, sembuf, semid_ds, timespec, OFF };
}

let layouts: ReturnType<typeof declareLayouts> | undefined;

/** The struct declarations and the offsets read from them. */
export function layout(): ReturnType<typeof declareLayouts> {
  return (layouts ??= declareLayouts());
}
