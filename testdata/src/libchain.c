/* libchain.so.1: a library beside the program (out/lib/) that needs libbar.so.1 and has no
   RPATH or RUNPATH of its own. glibc finds libbar through the DT_RPATH of the program that
   loaded libchain (c-rpath-chain), and not through a DT_RUNPATH (c-runpath-chain): an old-style
   RPATH is inherited by the libraries loaded beneath it, a RUNPATH is not. */
const char *bar_name(void);
const char *chain_name(void) { return bar_name(); }
