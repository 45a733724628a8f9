// stdout carries results only; notices go to stderr as "shmkit: <command>: <message>".
import { writeAll } from '../core/io.js';

export function print(text: string | Uint8Array): void {
  writeAll(1, text);
}

export function notice(command: string, message: string): void {
  writeAll(2, `shmkit: ${command}: ${message}\n`);
}
