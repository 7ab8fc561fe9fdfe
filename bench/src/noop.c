/* A program that does nothing, linked like the whichbase binary to ship (static-pie): the
 * floor of any process on the machine, for the start-up rows of the benchmark. */
int main(void) {
    return 0;
}
