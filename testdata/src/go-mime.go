// go-mime: mime.TypeByExtension(".odt"), which only /etc/mime.types (media-types, in
// distroless static) knows: Go's built-in table has a dozen web types, not this one. A
// `possible` need for whichbase (most programs only ask for the built-in types).
package main

import (
	"fmt"
	"mime"
	"os"
)

func main() {
	t := mime.TypeByExtension(".odt")
	if t == "" {
		fmt.Println("FAIL go-mime: no type for .odt (no /etc/mime.types?)")
		os.Exit(1)
	}
	fmt.Printf("ok go-mime (.odt is %s)\n", t)
}
