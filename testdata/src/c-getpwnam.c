/* c-getpwnam: looks up user "nonroot" (distroless's uid 65532) with glibc's getpwnam,
   which reads /etc/nsswitch.conf ("passwd:"), loads libnss_files.so.2 (or libnss_compat)
   and reads /etc/passwd. Built dynamic (c-getpwnam) and -static (c-getpwnam-static: static
   glibc still dlopens libnss_*.so.2 at run time). Fails if the user is not found. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#ifndef NAME
#define NAME "c-getpwnam"
#endif
int main(void) {
    errno = 0;
    struct passwd *pw = getpwnam("nonroot");
    if (!pw) {
        printf("FAIL " NAME ": getpwnam(nonroot): %s\n", errno ? strerror(errno) : "no such user");
        return 1;
    }
    printf("ok " NAME " (nonroot uid %u)\n", (unsigned)pw->pw_uid);
    return 0;
}
