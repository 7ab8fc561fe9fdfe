/* Executes the CPUID instruction N times (argv[1]) and exits: linked static with musl, whose
 * start-up executes none, so its time less the musl no-op's is N CPUIDs. In a virtual machine
 * CPUID traps to the hypervisor; glibc's start-up (its CPU-feature and cache-size probes, in
 * every static or dynamic glibc program) executes it dozens of times. */
#include <cpuid.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 0;
    unsigned a, b, c, d, sum = 0;
    for (int i = 0; i < n; i++) {
        __cpuid_count(4, i & 3, a, b, c, d);
        sum += a;
    }
    return sum == 1; /* uses the result, so the loop is not dropped */
}
