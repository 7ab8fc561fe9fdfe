/* zig-glibc238: built by `zig cc -target x86_64-linux-gnu.2.38`; calls strlcpy, first
   added in glibc 2.38, so it needs libc.so.6 (GLIBC_2.38): too new for debian12 (2.36),
   fine on debian13 (2.41). */
#include <stdio.h>
#include <string.h>
int main(void) {
    char buf[32];
    const char *volatile msg = "ok zig-glibc238"; /* volatile: keep the compiler from folding strlcpy away */
    strlcpy(buf, msg, sizeof buf);
    puts(buf);
    return 0;
}
