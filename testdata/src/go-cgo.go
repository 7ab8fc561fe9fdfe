// go-cgo: Go built with CGO_ENABLED=1 and a real cgo call, so it is dynamically linked
// against glibc (PT_INTERP /lib64/ld-linux-x86-64.so.2, DT_NEEDED libc.so.6).
package main

/*
#include <stdlib.h>
static int twice(int x) { return 2 * x; }
*/
import "C"

import "fmt"

func main() {
	if C.twice(21) == 42 && C.abs(-1) == 1 {
		fmt.Println("ok go-cgo")
	}
}
