// go-static: Go built with CGO_ENABLED=0: a statically linked ELF (no PT_INTERP) that
// runs on scratch. Standard library only.
package main

import "fmt"

func main() { fmt.Println("ok go-static") }
