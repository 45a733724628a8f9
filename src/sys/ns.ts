// setns(2): the calling thread joins the namespace a file descriptor of /proc/PID/ns/ipc (or a bind mount of one)
// stands for. Only that thread moves: in node, the main thread, where every libc call of src/sys and every read of
// /proc/sysvipc is made.
import { checked } from './checked.js';
import { CLONE_NEWIPC } from './constants.js';

const rawSetns = checked<(fd: number, nstype: number) => number>('setns', 'int setns(int fd, int nstype)');

/** Moves the calling thread into the IPC namespace of fd; EINVAL if fd is no IPC namespace, EPERM without CAP_SYS_ADMIN. */
export function setIpcNamespace(fd: number): void {
  rawSetns(fd, CLONE_NEWIPC);
}
