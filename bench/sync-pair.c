/* The C reference for shmkit's --sync rate: a writer and a reader process doing shmkit's own lockstep handshake
 * (src/core/demo/lockstep.ts) over the seed's struct shmseg (1032 bytes), the same way:
 *  - a token, EMPTY or FULL, taken with SEM_UNDO after up to SPINS tries with IPC_NOWAIT, and handed over in one
 *    semop that also takes back the undo entry: [[held, +1, SEM_UNDO], [held, -1, 0], [other, +1, 0]];
 *  - the writer fills buf with 1023 copies of the block's letter and a NUL, sets cnt, and publishes: the hand-over
 *    and SEQ_LO (SEQ_HI on a wrap) in the same semop;
 *  - the reader first watches buf for a change for up to SPIN_READS reads, then takes FULL, compares the block with
 *    the letter it expects, reads the sequence number (GETALL) every CHECKPOINT blocks, prints the block as the seed's
 *    shm_read.c does (printf, stdio's buffering), and hands FULL back.
 * Usage: sync-pair KEY COUNT [SPINS]; the reader prints the blocks on stdout, the writer "blocks seconds" on stderr. */
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
enum { EMPTY, FULL, SEQ_LO, SEQ_HI, WRITER, READER, NSEMS };
#define SEQ_BASE 32768
#define CHECKPOINT 256
#define SPIN_READS 20000

static int spins;

/* Takes the token num with SEM_UNDO, after up to `spins` tries with IPC_NOWAIT. */
static int take(int semid, unsigned short num) {
  struct sembuf nowait = { num, -1, IPC_NOWAIT | SEM_UNDO }, wait = { num, -1, SEM_UNDO };
  for (int i = 0; i < spins; i++) if (semop(semid, &nowait, 1) == 0) return 0;
  return semop(semid, &wait, 1);
}

/* Hands the token held over to other, taking back the undo entry of the take; extra ops go in the same semop. */
static int hand_over(int semid, unsigned short held, unsigned short other, struct sembuf *extra, int nextra) {
  struct sembuf ops[5] = { { held, 1, SEM_UNDO }, { held, -1, 0 }, { other, 1, 0 } };
  for (int i = 0; i < nextra; i++) ops[3 + i] = extra[i];
  return semop(semid, ops, 3 + nextra);
}

static char letter(long i) { if (i < 26) return 'A' + i; long k = (i - 26) % 26; return k == 0 ? '[' : 'A' + k; }

int main(int argc, char **argv) {
  key_t key = (key_t)strtoul(argv[1], NULL, 0);
  long count = atol(argv[2]);
  spins = argc > 3 ? atoi(argv[3]) : 0;
  int shmid = shmget(key, sizeof(struct shmseg), 0644 | IPC_CREAT | IPC_EXCL);
  int semid = semget(key, NSEMS, 0644 | IPC_CREAT | IPC_EXCL);
  if (shmid < 0 || semid < 0) { perror("create"); return 1; }
  unsigned short init[NSEMS] = { 1, 0, 0, 0, 0, 0 };
  semctl(semid, 0, SETALL, init);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t child = fork();
  struct shmseg *s = shmat(shmid, NULL, child == 0 ? SHM_RDONLY : 0);
  if (s == (void *)-1) { perror("shmat"); return 1; }
  if (child == 0) {
    struct sembuf reg = { READER, 1, SEM_UNDO };
    semop(semid, &reg, 1);
    unsigned short v[NSEMS];
    char want[1024];
    long bad = 0;
    volatile char *first = s->buf;
    for (long i = 0; i < count; i++) {
      char seen = *first;
      for (int k = 0; k < SPIN_READS && *first == seen; k++);
      if (take(semid, FULL) < 0) { perror("semop"); return 1; }
      memset(want, letter(i), 1023); want[1023] = 0;
      if (s->cnt != 1023 || memcmp(s->buf, want, 1024) != 0) bad++;
      if ((i & (CHECKPOINT - 1)) == CHECKPOINT - 1) {
        semctl(semid, 0, GETALL, v);
        if ((long)v[SEQ_HI] * SEQ_BASE + v[SEQ_LO] - 1 != i % ((long)SEQ_BASE * SEQ_BASE)) bad++;
      }
      printf("segment contains : \n\"%s\"\n", s->buf);
      printf("Reading Process: Shared Memory: Read %d bytes\n", s->cnt);
      hand_over(semid, FULL, EMPTY, NULL, 0);
    }
    fflush(stdout);
    return bad ? 2 : 0;
  }
  struct sembuf reg = { WRITER, 1, SEM_UNDO };
  semop(semid, &reg, 1);
  for (long i = 0; i < count; i++) {
    if (take(semid, EMPTY) < 0) { perror("semop"); return 1; }
    memset(s->buf, letter(i), 1023); s->buf[1023] = 0;
    s->cnt = 1023; s->complete = 0;
    long next = (i + 1) % SEQ_BASE;
    struct sembuf seq[2] = { { SEQ_LO, next ? 1 : -(SEQ_BASE - 1), 0 }, { SEQ_HI, 1, 0 } };
    hand_over(semid, EMPTY, FULL, seq, next ? 1 : 2);
  }
  int status;
  waitpid(child, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  shmdt(s);
  shmctl(shmid, IPC_RMID, NULL);
  semctl(semid, 0, IPC_RMID);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "reader failed\n"); return 1; }
  fprintf(stderr, "%ld %.6f\n", count, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
