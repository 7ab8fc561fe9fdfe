/* libfoo.so.1: helper library for c-origin and c-rpath (not a program), installed as out/lib/libfoo.so.1
   with DT_SONAME libfoo.so.1. It is found at run time only through $ORIGIN/lib. */
const char *foo_name(void) { return "libfoo"; }
