// d-hello: D (GDC, Debian's gdc) hello world, linked dynamically by default: DT_NEEDED on
// libgphobos.so.3 (D runtime and Phobos) and libgcc_s.so.1 besides libc.so.6.
module d_hello;  // the file name is no D identifier, so the module is named here

import std.stdio;

void main()
{
    writeln("ok d-hello");
}
