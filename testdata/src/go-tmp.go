// go-tmp: os.CreateTemp("", ...) writes a file in the temporary directory ($TMPDIR, else /tmp),
// which scratch does not have and distroless static has (mode 1777). Standard library only.
package main

import (
	"fmt"
	"os"
)

func main() {
	f, err := os.CreateTemp("", "go-tmp-*")
	if err != nil {
		fmt.Printf("FAIL go-tmp: %v\n", err)
		os.Exit(1)
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString("x"); err != nil {
		fmt.Printf("FAIL go-tmp: %v\n", err)
		os.Exit(1)
	}
	f.Close()
	fmt.Printf("ok go-tmp (%s)\n", f.Name())
}
