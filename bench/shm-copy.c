/* The C reference for shmkit's bulk copies: the same system calls, without Node. It tells how fast the kernel moves
 * a SysV segment to and from a tmpfs file on this machine, which is the most shmkit (or anything) can do.
 *   shm-copy out ID   the segment to stdout: sendfile(2) from the segment's shmem file, opened through
 *                     /proc/self/map_files (as read --format raw does for a regular file where it may open it)
 *   shm-copy in ID    stdin into the segment: sendfile(2) from stdin into that file (as attach-write does for a
 *                     regular file)
 *   shm-copy vmsplice-out ID, splice-in ID: the ways shmkit takes where it may not open that file (vmsplice(2) of
 *                     the pages into a pipe and splice(2) to stdout; splice(2) through a pipe into the file)
 * Prints nothing; the bench times the process. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/uio.h>
#include <sys/sendfile.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static void die(const char *what) { perror(what); exit(1); }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: shm-copy out|in|vmsplice-out|splice-in ID\n");
    return 2;
  }
  int send = strcmp(argv[1], "out") == 0 || strcmp(argv[1], "in") == 0;
  int out = strcmp(argv[1], "out") == 0 || strcmp(argv[1], "vmsplice-out") == 0;
  int id = atoi(argv[2]);
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) < 0) die("shmctl");
  size_t size = ds.shm_segsz;
  char *p = shmat(id, NULL, out ? SHM_RDONLY : 0);
  if (p == (void *)-1) die("shmat");
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) die("pipe2");
  long cap = fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
  if (cap <= 0) cap = 65536;
  size_t done = 0;
  if (send) {
    long page = sysconf(_SC_PAGESIZE);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/map_files/%lx-%lx", (unsigned long)p, (unsigned long)p + (size + page - 1) / page * page);
    int file = open(path, out ? O_RDONLY : O_RDWR);
    if (file < 0) die(path);
    off_t at = 0;
    while (done < size) {
      ssize_t n = out ? sendfile(1, file, &at, size - done) : sendfile(file, 0, NULL, size - done);
      if (n < 0) die("sendfile");
      if (n == 0) break;
      done += n;
    }
  } else if (out) {
    madvise(p, size, MADV_POPULATE_READ);
    while (done < size) {
      struct iovec v = { p + done, size - done < (size_t)cap ? size - done : (size_t)cap };
      ssize_t lent = vmsplice(pipefd[1], &v, 1, 0);
      if (lent <= 0) die("vmsplice");
      for (ssize_t moved = 0; moved < lent;) {
        ssize_t n = splice(pipefd[0], NULL, 1, NULL, lent - moved, SPLICE_F_MOVE);
        if (n <= 0) die("splice");
        moved += n;
      }
      done += lent;
    }
  } else {
    long page = sysconf(_SC_PAGESIZE);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/map_files/%lx-%lx", (unsigned long)p, (unsigned long)p + (size + page - 1) / page * page);
    int file = open(path, O_RDWR);
    if (file < 0) die(path);
    loff_t at = 0;
    while (done < size) {
      ssize_t n = splice(0, NULL, pipefd[1], NULL, size - done < (size_t)cap ? size - done : (size_t)cap, SPLICE_F_MOVE);
      if (n < 0) die("splice");
      if (n == 0) break;
      for (ssize_t moved = 0; moved < n;) {
        ssize_t k = splice(pipefd[0], NULL, file, &at, n - moved, SPLICE_F_MOVE);
        if (k <= 0) die("splice");
        moved += k;
      }
      done += n;
    }
  }
  shmdt(p);
  return 0;
}
