/* The C reference for shmkit's --sync rate: a writer and a reader process doing the same semaphore handshake over
 * the seed's struct shmseg (1032 bytes): the writer waits for EMPTY, fills buf with 1023 copies of a letter and a NUL,
 * sets cnt, and posts FULL with the sequence number in the same semop; the reader waits for FULL, reads the sequence
 * number (GETALL), checks the block against the letter with memcmp, and posts EMPTY.
 * With SPINS > 0 each side first tries IPC_NOWAIT that many times before a blocking semop, as shmkit does.
 * Usage: sync-pair KEY COUNT [SPINS]; prints "blocks seconds". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

struct shmseg { int cnt; int complete; char buf[1024]; };
enum { EMPTY, FULL, SEQ_LO, SEQ_HI, NSEMS };

static int spins;

/* semop of one op, after up to `spins` tries with IPC_NOWAIT. */
static int take(int semid, unsigned short num) {
  struct sembuf nowait = { num, -1, IPC_NOWAIT }, wait = { num, -1, 0 };
  for (int i = 0; i < spins; i++) if (semop(semid, &nowait, 1) == 0) return 0;
  return semop(semid, &wait, 1);
}

static char letter(long i) { if (i < 26) return 'A' + i; long k = (i - 26) % 26; return k == 0 ? '[' : 'A' + k; }

int main(int argc, char **argv) {
  key_t key = (key_t)strtoul(argv[1], NULL, 0);
  long count = atol(argv[2]);
  spins = argc > 3 ? atoi(argv[3]) : 0;
  int shmid = shmget(key, sizeof(struct shmseg), 0644 | IPC_CREAT | IPC_EXCL);
  int semid = semget(key, NSEMS, 0644 | IPC_CREAT | IPC_EXCL);
  if (shmid < 0 || semid < 0) { perror("create"); return 1; }
  unsigned short init[NSEMS] = { 1, 0, 0, 0 };
  semctl(semid, 0, SETALL, init);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t child = fork();
  struct shmseg *s = shmat(shmid, NULL, child == 0 ? SHM_RDONLY : 0);
  if (s == (void *)-1) { perror("shmat"); return 1; }
  if (child == 0) {
    struct sembuf give = { EMPTY, 1, 0 };
    unsigned short v[NSEMS];
    char want[1024];
    long bad = 0;
    for (long i = 0; i < count; i++) {
      if (take(semid, FULL) < 0) { perror("semop"); return 1; }
      semctl(semid, 0, GETALL, v);
      long seq = (long)v[SEQ_HI] * 32768 + v[SEQ_LO] - 1;
      memset(want, letter(seq), 1023); want[1023] = 0;
      if (seq != i || s->cnt != 1023 || memcmp(s->buf, want, 1024) != 0) bad++;
      semop(semid, &give, 1);
    }
    return bad ? 2 : 0;
  }
  for (long i = 0; i < count; i++) {
    if (take(semid, EMPTY) < 0) { perror("semop"); return 1; }
    memset(s->buf, letter(i), 1023); s->buf[1023] = 0;
    s->cnt = 1023; s->complete = 0;
    long next = (i + 1) % 32768;
    struct sembuf pub[3] = { { FULL, 1, 0 }, { SEQ_LO, next ? 1 : -32767, 0 }, { SEQ_HI, 1, 0 } };
    semop(semid, pub, next ? 2 : 3);
  }
  int status;
  waitpid(child, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  shmdt(s);
  shmctl(shmid, IPC_RMID, NULL);
  semctl(semid, 0, IPC_RMID);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "reader failed\n"); return 1; }
  printf("%ld %.6f\n", count, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
