/* Makes COUNT private segments of 4 KiB (mode 0600) in the current IPC namespace, for the bench's scale rows: the
 * bench's namespace holder runs it, so the segments go with the namespace. Usage: segments COUNT */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0;
  for (long i = 0; i < n; i++) {
    if (shmget(IPC_PRIVATE, 4096, 0600 | IPC_CREAT) < 0) { perror("shmget"); return 1; }
  }
  return 0;
}
