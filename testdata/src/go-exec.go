// go-exec: exec.Command("sh", "-c", "true").Run() with CGO_ENABLED=0: looks sh up in
// $PATH and runs it, so it needs a shell in the image.
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if err := exec.Command("sh", "-c", "true").Run(); err != nil {
		fmt.Printf("FAIL go-exec: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("ok go-exec (sh -c true ran)")
}
