/* libbar.so.1: the dependency of libchain.so.1 (not a program), installed as out/lib/libbar.so.1.
   Nothing names its directory but the RPATH of the program that loads libchain. */
const char *bar_name(void) { return "libbar"; }
