// shmkit as a library: the core, without commander or chalk.
export {
  Segment, Attachment, createSegment, ftokKey, lockSegment, memlockLimit, removeSegment, resolveId, setSegment, statSegment, DEFAULT_MODE,
} from './core/segment.js';
export type { AttachOptions, CreateOptions, CreateResult, SegmentChange } from './core/segment.js';
export { listSegments, eachSegment, getSegment, integerText, PROC_SYSVIPC_SHM } from './core/list.js';
export type { ListOptions, ListSource, IntegerField } from './core/list.js';
export { getLimits, getUsage, getSystemInfo, getPageSize } from './core/limits.js';
export type { ShmLimits, ShmUsage, ShmSystemInfo, InfoSource } from './core/limits.js';
export { scanAttachments, attachedTo, pidAlive, pageSizeOf, isHugePageSize, probePageSize, segmentDevices } from './core/attached.js';
export { currentIpcNamespace, ipcNamespaceInode, INITIAL_IPC_NAMESPACE } from './core/namespace.js';
export type { IpcNamespace } from './core/namespace.js';
export { findIpcNamespaces, containerOf, type Container, type IpcNamespaceRecord, type NamespaceMount, type NamespaceScan } from './core/namespaces.js';
export { enterIpcNamespace, inIpcNamespace, parseNamespaceRef, type NamespaceRef } from './core/namespace-visit.js';
export { isOrphan, findOrphans, idleSeconds } from './core/orphans.js';
export type { OrphanOptions } from './core/orphans.js';
export { userName, groupName, NAMES } from './core/names.js';
export type { Names } from './core/names.js';
export {
  parseKey, parseId, parseSize, parseDuration, parseAge, parseMode, parseFtok, parseCount, parsePositive, formatKey,
} from './core/parse.js';
export {
  ShmkitError, InputError, OperationError, PeerDiedError, InterruptedError, SysError,
} from './core/errors.js';
export type { ErrorKind } from './core/errors.js';
export type { SegmentInfo, AttachedProcess, SegmentTarget } from './core/types.js';
export { runWriter } from './core/demo/writer.js';
export type { WriterOptions, WriterResult } from './core/demo/writer.js';
export { runReader } from './core/demo/reader.js';
export type { ReaderOptions, ReaderResult, Block } from './core/demo/reader.js';
export { SEED_KEY, SEGMENT_SIZE, letterFor } from './core/demo/protocol.js';
export {
  listSemaphoreSets, listQueues, statSemaphoreSet, statQueue, semaphoresOf, removeSemaphoreSet, removeQueue, removeIpcObject,
  PROC_SYSVIPC_SEM, PROC_SYSVIPC_MSG,
} from './core/kinds.js';
export type { IpcKind, IpcObject, IpcTarget, QueueInfo, SemaphoreSetInfo, SemaphoreState } from './core/kinds.js';
export { createSemaphoreSet, createQueue } from './core/kind-create.js';
export type { CreateIpcOptions, CreatedIpc } from './core/kind-create.js';
export { findSetOrphans, findQueueOrphans, removeKindOrphan } from './core/kind-orphans.js';
export { scanWaiters } from './core/waiters.js';
export type { Waiter, Waiters } from './core/waiters.js';
export { getSemLimits, getSemUsage, getMsgLimits, getMsgUsage } from './core/limits.js';
export type { SemLimits, SemUsage, MsgLimits, MsgUsage } from './core/limits.js';
export { parseLayout, SHMSEG_LAYOUT } from './core/cstruct.js';
export type { CType, Member, Scalar, StructType } from './core/cstruct.js';
export { decode, decodeBytes } from './core/decode.js';
export type { Value } from './core/decode.js';
export { watchSegment, watchList, byteChanges } from './core/watch.js';
export type { WatchOptions, Change, Sample, ListChange } from './core/watch.js';
export { dumpSegment, restoreSegment, DUMP_MAGIC } from './core/dump.js';
export type { DumpHeader, DumpTrailer, RestoreOptions, RestoreResult } from './core/dump.js';
