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
  const seminfo = koffi.struct('shmkit_seminfo', {
    semmap: 'int', semmni: 'int', semmns: 'int', semmnu: 'int', semmsl: 'int', semopm: 'int', semume: 'int', semusz: 'int',
    semvmx: 'int', semaem: 'int',
  });
  const msqid_ds = koffi.struct('shmkit_msqid_ds', {
    msg_perm: ipc_perm, msg_stime: 'int64_t', msg_rtime: 'int64_t', msg_ctime: 'int64_t', msg_cbytes: 'unsigned long',
    msg_qnum: 'unsigned long', msg_qbytes: 'unsigned long', msg_lspid: 'int32_t', msg_lrpid: 'int32_t',
    reserved4: 'unsigned long', reserved5: 'unsigned long',
  });
  const msginfo = koffi.struct('shmkit_msginfo', {
    msgpool: 'int', msgmap: 'int', msgmax: 'int', msgmnb: 'int', msgmni: 'int', msgssz: 'int', msgtql: 'int', msgseg: 'unsigned short',
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
    sem_otime: off(semid_ds, 'sem_otime'), sem_ctime: off(semid_ds, 'sem_ctime'), sem_nsems: off(semid_ds, 'sem_nsems'),
    sem_key: off(semid_ds, 'sem_perm.key'), sem_mode: off(semid_ds, 'sem_perm.mode'), sem_uid: off(semid_ds, 'sem_perm.uid'),
    sem_gid: off(semid_ds, 'sem_perm.gid'), sem_cuid: off(semid_ds, 'sem_perm.cuid'), sem_cgid: off(semid_ds, 'sem_perm.cgid'),
    semmap: off(seminfo, 'semmap'), semmni: off(seminfo, 'semmni'), semmns: off(seminfo, 'semmns'), semmnu: off(seminfo, 'semmnu'),
    semmsl: off(seminfo, 'semmsl'), semopm: off(seminfo, 'semopm'), semume: off(seminfo, 'semume'), semusz: off(seminfo, 'semusz'),
    semvmx: off(seminfo, 'semvmx'), semaem: off(seminfo, 'semaem'),
    msg_key: off(msqid_ds, 'msg_perm.key'), msg_mode: off(msqid_ds, 'msg_perm.mode'), msg_uid: off(msqid_ds, 'msg_perm.uid'),
    msg_gid: off(msqid_ds, 'msg_perm.gid'), msg_cuid: off(msqid_ds, 'msg_perm.cuid'), msg_cgid: off(msqid_ds, 'msg_perm.cgid'),
    msg_stime: off(msqid_ds, 'msg_stime'), msg_rtime: off(msqid_ds, 'msg_rtime'), msg_ctime: off(msqid_ds, 'msg_ctime'),
    msg_cbytes: off(msqid_ds, 'msg_cbytes'), msg_qnum: off(msqid_ds, 'msg_qnum'), msg_qbytes: off(msqid_ds, 'msg_qbytes'),
    msg_lspid: off(msqid_ds, 'msg_lspid'), msg_lrpid: off(msqid_ds, 'msg_lrpid'),
    msgpool: off(msginfo, 'msgpool'), msgmap: off(msginfo, 'msgmap'), msgmax: off(msginfo, 'msgmax'), msgmnb: off(msginfo, 'msgmnb'),
    msgmni: off(msginfo, 'msgmni'), msgssz: off(msginfo, 'msgssz'), msgtql: off(msginfo, 'msgtql'), msgseg: off(msginfo, 'msgseg'),
  } as const;
  return { ipc_perm, shmid_ds, shminfo, shm_info, sembuf, semid_ds, seminfo, msqid_ds, msginfo, timespec, OFF };
}

let layouts: ReturnType<typeof declareLayouts> | undefined;

/** The struct declarations and the offsets read from them. */
export function layout(): ReturnType<typeof declareLayouts> {
  return (layouts ??= declareLayouts());
}
