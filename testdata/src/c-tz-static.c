/* c-tz-static: gcc -static; TZ=Europe/Paris, tzset, localtime(1700000000) must be CET
   (tm_gmtoff 3600). glibc reads /usr/share/zoneinfo/Europe/Paris and silently falls back
   to UTC when it is missing, so the offset shows whether the zoneinfo file was there. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    time_t t = 1700000000;
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_gmtoff != 3600) {
        printf("FAIL c-tz-static: Europe/Paris gave offset %ld (%s), not 3600 (CET): no zoneinfo?\n",
               tm.tm_gmtoff, tm.tm_zone ? tm.tm_zone : "?");
        return 1;
    }
    printf("ok c-tz-static (Europe/Paris %s %+ld)\n", tm.tm_zone, tm.tm_gmtoff);
    return 0;
}
