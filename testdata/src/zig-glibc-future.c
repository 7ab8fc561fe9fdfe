/* zig-glibc-future: built by zig cc against the newest glibc Zig knows (2.44 for
   ziglang 0.17.1). It calls pthread_gettid_np (first added in glibc 2.42) and cosh,
   which glibc 2.44 gave a new default symbol version, so it needs libc.so.6 (GLIBC_2.42)
   and libm.so.6 (GLIBC_2.44): newer than any Debian release the images use (debian13
   has 2.41). It can run nowhere among them. */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdio.h>
int main(void) {
    volatile double x = 0.0;
    pid_t tid = pthread_gettid_np(pthread_self());
    if (tid > 0 && cosh(x) == 1.0) puts("ok zig-glibc-future");
    return 0;
}
