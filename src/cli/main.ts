// The entry point of the whole program (every command; scripts/bundle.js makes one per command besides).
import { ALL_COMMANDS } from './commands/all.js';
import { start } from './start.js';

start(ALL_COMMANDS);
