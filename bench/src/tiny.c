/* The smallest realistic input: a dynamically linked PIE that needs only libc. */
#include <stdio.h>

int main(void) {
    puts("tiny");
    return 0;
}
