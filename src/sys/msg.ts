// Message queues: msgget and msgctl (IPC_STAT, MSG_STAT[_ANY], IPC_INFO, MSG_INFO, IPC_RMID). shmkit shows and
// removes queues; it sends and receives nothing.
import { IPC_INFO, IPC_RMID, IPC_STAT, MSG_INFO, MSG_STAT, MSG_STAT_ANY } from './constants.js';
import { checked } from './checked.js';
import { layout } from './layout.js';

const MSGCTL = 'int msgctl(int msqid, int cmd, void *buf)';
type Msgctl = (id: number, cmd: number, buf: Buffer | null) => number;

const rawMsgget = checked<(key: number, flg: number) => number>('msgget', 'int msgget(int key, int msgflg)');
const ctl = {
  stat: checked<Msgctl>('msgctl(IPC_STAT)', MSGCTL),
  statIndex: checked<Msgctl>('msgctl(MSG_STAT)', MSGCTL),
  statAny: checked<Msgctl>('msgctl(MSG_STAT_ANY)', MSGCTL),
  ipcInfo: checked<Msgctl>('msgctl(IPC_INFO)', MSGCTL),
  msgInfo: checked<Msgctl>('msgctl(MSG_INFO)', MSGCTL),
  rmid: checked<Msgctl>('msgctl(IPC_RMID)', MSGCTL),
};

export function msgget(key: number, flags: number): number {
  return rawMsgget(key | 0, flags);
}

/** Raw IPC_STAT result, read straight from the kernel's struct msqid_ds. */
export interface MsqidDs {
  key: number; uid: number; gid: number; cuid: number; cgid: number; mode: number; stime: bigint; rtime: bigint; ctime: bigint;
  cbytes: bigint; qnum: bigint; qbytes: bigint; lspid: number; lrpid: number;
}

function decodeMsqidDs(b: Buffer): MsqidDs {
  const O = layout().OFF;
  return {
    key: b.readInt32LE(O.msg_key), uid: b.readUInt32LE(O.msg_uid), gid: b.readUInt32LE(O.msg_gid), cuid: b.readUInt32LE(O.msg_cuid),
    cgid: b.readUInt32LE(O.msg_cgid), mode: b.readUInt32LE(O.msg_mode), stime: b.readBigInt64LE(O.msg_stime),
    rtime: b.readBigInt64LE(O.msg_rtime), ctime: b.readBigInt64LE(O.msg_ctime), cbytes: b.readBigUInt64LE(O.msg_cbytes),
    qnum: b.readBigUInt64LE(O.msg_qnum), qbytes: b.readBigUInt64LE(O.msg_qbytes), lspid: b.readInt32LE(O.msg_lspid),
    lrpid: b.readInt32LE(O.msg_lrpid),
  };
}

export function msgStat(id: number): MsqidDs {
  const b = Buffer.alloc(layout().msqid_ds.size);
  ctl.stat(id, IPC_STAT, b);
  return decodeMsqidDs(b);
}

/** MSG_STAT or MSG_STAT_ANY over a kernel index; returns the full id with the record. */
export function msgStatIndex(index: number, any: boolean): { id: number; ds: MsqidDs } {
  const b = Buffer.alloc(layout().msqid_ds.size);
  const id = any ? ctl.statAny(index, MSG_STAT_ANY, b) : ctl.statIndex(index, MSG_STAT, b);
  return { id, ds: decodeMsqidDs(b) };
}

export function msgRmid(id: number): void {
  ctl.rmid(id, IPC_RMID, null);
}

/**
 * struct msginfo: the limits (IPC_INFO) or, with MSG_INFO, msgpool = queues in use, msgmap = messages queued and
 * msgtql = bytes queued.
 */
export interface Msginfo {
  maxIndex: number; msgpool: number; msgmap: number; msgmax: number; msgmnb: number; msgmni: number; msgssz: number; msgtql: number; msgseg: number;
}

function msginfo(usage: boolean): Msginfo {
  const L = layout();
  const b = Buffer.alloc(L.msqid_ds.size); // the kernel writes a struct msginfo (32 bytes) through msgctl's struct pointer
  const maxIndex = usage ? ctl.msgInfo(0, MSG_INFO, b) : ctl.ipcInfo(0, IPC_INFO, b);
  const O = L.OFF;
  return {
    maxIndex, msgpool: b.readInt32LE(O.msgpool), msgmap: b.readInt32LE(O.msgmap), msgmax: b.readInt32LE(O.msgmax), msgmnb: b.readInt32LE(O.msgmnb),
    msgmni: b.readInt32LE(O.msgmni), msgssz: b.readInt32LE(O.msgssz), msgtql: b.readInt32LE(O.msgtql), msgseg: b.readUInt16LE(O.msgseg),
  };
}
export const msgIpcInfo = () => msginfo(false);
export const msgInfo = () => msginfo(true);
