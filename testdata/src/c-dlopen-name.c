/* c-dlopen-name: dlopen("libz.so.1", RTLD_NOW) at run time and calls zlibVersion through
   dlsym; fails if libz is not there. It has no DT_NEEDED on libz (only libc.so.6), so only
   the string "libz.so.1" shows the need (unlike c-dlopen, which never fails). */
#include <dlfcn.h>
#include <stdio.h>
int main(void) {
    void *h = dlopen("libz.so.1", RTLD_NOW);
    if (!h) {
        printf("FAIL c-dlopen-name: %s\n", dlerror());
        return 1;
    }
    const char *(*version)(void) = (const char *(*)(void))dlsym(h, "zlibVersion");
    if (!version) {
        printf("FAIL c-dlopen-name: no zlibVersion in libz.so.1\n");
        return 1;
    }
    printf("ok c-dlopen-name (libz.so.1 %s)\n", version());
    return 0;
}
