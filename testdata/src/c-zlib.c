/* c-zlib: calls zlibVersion(), so it needs libz.so.1 (zlib1g). */
#include <stdio.h>
#include <zlib.h>
int main(void) { printf("ok c-zlib (zlib %s)\n", zlibVersion()); return 0; }
