/* c-iconv: iconv_open("UTF-16", "UTF-8") and one conversion. glibc loads the UTF-16 converter
   from its gconv modules (libc6's /usr/lib/<triplet>/gconv), so the program needs them
   besides libc.so.6. */
#include <iconv.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    iconv_t cd = iconv_open("UTF-16", "UTF-8");
    if (cd == (iconv_t)-1) {
        perror("FAIL c-iconv: iconv_open");
        return 1;
    }
    char in[] = "ok", out[16];
    char *pi = in, *po = out;
    size_t li = strlen(in), lo = sizeof out;
    if (iconv(cd, &pi, &li, &po, &lo) == (size_t)-1) {
        perror("FAIL c-iconv: iconv");
        return 1;
    }
    iconv_close(cd);
    printf("ok c-iconv (%zu bytes of UTF-16)\n", sizeof out - lo);
    return 0;
}
