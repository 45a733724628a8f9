// The library's handle on a segment, and where its operations live:
//   create.ts      createSegment, undoCreate             control.ts  resolveId, statSegment, readSegment, removeSegment, lockSegment, ftokKey
//   attachment.ts  Attachment (bounds-checked, unusable after detach)   bulk.ts  its read(2)/write(2)/splice(2) transfers
import { Attachment, type AttachOptions } from './attachment.js';
import { type SegmentChange, lockSegment, removeSegment, resolveId, setSegment, statSegment } from './control.js';
import { createSegment, type CreateOptions } from './create.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export { Attachment, VIEW_MAX, memoryOf, type AttachOptions } from './attachment.js';
export { ftokKey, infoFromDs, lockSegment, memlockLimit, readSegment, removeSegment, resolveId, setSegment, statSegment } from './control.js';
export type { SegmentChange } from './control.js';
export { DEFAULT_MODE, createSegment, undoCreate, type CreateOptions, type CreateResult } from './create.js';

/**
 * A segment by its id: the library's handle. Segment.create makes one (shmget with IPC_CREAT), Segment.open finds
 * one by key or id; attach() maps it (an Attachment, bounds-checked, unusable after detach), stat() is IPC_STAT,
 * remove() is IPC_RMID.
 */
export class Segment {
  readonly id: number;
  /** False when create() found the key taken and opened the existing segment. */
  readonly created: boolean;

  private constructor(id: number, created: boolean) {
    this.id = id;
    this.created = created;
    Object.freeze(this);
  }

  static create(opts: CreateOptions): Segment {
    const r = createSegment(opts);
    return new Segment(r.id, r.created);
  }

  /** The segment under a key (shmget(key, 0, 0)) or with an id; throws OperationError if there is none. */
  static open(target: SegmentTarget): Segment {
    const id = resolveId(target);
    statSegment({ id });
    return new Segment(id, false);
  }

  stat(): SegmentInfo {
    return statSegment({ id: this.id });
  }

  attach(opts: AttachOptions = {}): Attachment {
    return Attachment.attach({ id: this.id }, opts);
  }

  remove(): void {
    removeSegment({ id: this.id });
  }

  lock(lock = true): void {
    lockSegment({ id: this.id }, lock);
  }

  /** IPC_SET: change owner, group or mode (what is left out stays); returns the record after the change. */
  set(change: SegmentChange): SegmentInfo {
    return setSegment({ id: this.id }, change);
  }
}
