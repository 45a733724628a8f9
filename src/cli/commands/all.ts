// Every command's register(), for the whole program: help, completion and the man pages read all of it. A command run
// by name goes through a bundle of its own instead (scripts/bundle.js), which declares that command alone.
import type { Command } from 'commander';
import type { CommandName } from '../command-names.js';
import { register as attachWrite } from './attach-write.js';
import { register as completion } from './completion.js';
import { register as create } from './create.js';
import { register as demo } from './demo.js';
import { register as info } from './info.js';
import { register as list } from './list.js';
import { register as read } from './read.js';
import { register as reader } from './reader.js';
import { register as rm } from './rm.js';
import { register as set } from './set.js';
import { register as lock } from './lock.js';
import { register as stat } from './stat.js';
import { register as watch } from './watch.js';
import { register as dump } from './dump.js';
import { register as restore } from './restore.js';
import { register as writer } from './writer.js';

export const ALL_COMMANDS: Readonly<Record<CommandName, (program: Command) => void>> = {
  create, 'attach-write': attachWrite, read, stat, rm, set, lock, info, list, watch, dump, restore, writer, reader, demo,
  completion,
};
