/* c-exec: runs the program `true` with fork and execvp (no shell). No distroless image has
   any program besides yours; debian:N-slim has coreutils. whichbase cannot tell from the
   file which program is run, so this is a `possible` need (counted with --strict). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {"true", NULL};
        execvp("true", argv);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        printf("FAIL c-exec: true exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return 1;
    }
    puts("ok c-exec (ran true)");
    return 0;
}
