/* musl-getpwnam-static: musl-gcc -static; getpwnam("nonroot"). musl has no NSS: it reads
   /etc/passwd itself (and asks nscd over /var/run/nscd/socket if it is there). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    errno = 0;
    struct passwd *pw = getpwnam("nonroot");
    if (!pw) {
        printf("FAIL musl-getpwnam-static: getpwnam(nonroot): %s\n", errno ? strerror(errno) : "no such user");
        return 1;
    }
    printf("ok musl-getpwnam-static (nonroot uid %u)\n", (unsigned)pw->pw_uid);
    return 0;
}
