/* libshared.so: a shared library (ET_DYN, no PT_INTERP, no main) with DT_SONAME
   libshared.so.1. Not a program: there is nothing to run. */
int shared_answer(void) { return 42; }
