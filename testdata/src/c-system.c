/* c-system: system("exit 0"), which runs /bin/sh -c: needs a shell in the image. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
int main(void) {
    int st = system("exit 0");
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        printf("FAIL c-system: system(\"exit 0\") returned %d (exit status %d)\n", st,
               st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return 1;
    }
    puts("ok c-system (system(\"exit 0\") returned 0)");
    return 0;
}
