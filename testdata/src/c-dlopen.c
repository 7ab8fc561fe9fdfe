/* c-dlopen: loads libz.so.1 with dlopen at run time; it has no DT_NEEDED on libz (only
   libc.so.6), so only the string "libz.so.1" hints at the dependency. Prints its ok line
   whether or not the dlopen succeeds. */
#include <dlfcn.h>
#include <stdio.h>
int main(void) {
    void *h = dlopen("libz.so.1", RTLD_NOW);
    printf("ok c-dlopen (libz.so.1 %s)\n", h ? "loaded" : "not found");
    if (h) dlclose(h);
    return 0;
}
