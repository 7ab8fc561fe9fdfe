// cxx-dynamic: C++ using iostream and std::string, so it needs libstdc++.so.6
// (and libgcc_s.so.1 when g++ links it, plus libm.so.6).
#include <iostream>
#include <string>
int main() { std::string s = "ok"; s += " cxx-dynamic"; std::cout << s << std::endl; return 0; }
