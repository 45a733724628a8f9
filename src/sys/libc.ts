// libc as src/sys offers it: every call checked (checked.ts), each in the file of its job. The rest of the project
// imports this module, and only src/sys imports koffi.
//   load.ts     koffi and libc, loaded on first use      checked.ts  the one adapter: errno -> SysError
//   layout.ts   struct layouts and their offsets         shm.ts      shmget, shmat, shmdt, shmctl, views
//   sem.ts      semget, semop, semtimedop, semctl        io.ts       read/write at addresses, poll, splice, memfd
//   msg.ts      msgget, msgctl
//   system.ts   ftok, user and group names, page size  ns.ts       setns
export { SysError } from './errors.js';
export { errnoName, strerrorText, sysError } from './checked.js';
export { layout } from './layout.js';
export * from './shm.js';
export * from './sem.js';
export * from './msg.js';
export * from './io.js';
export * from './system.js';
export * from './ns.js';
