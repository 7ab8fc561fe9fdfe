// go-user: user.Lookup("nonroot") (distroless's uid 65532). With CGO_ENABLED=0 (go-user)
// os/user reads /etc/passwd itself; with CGO_ENABLED=1 (go-user-cgo) it calls glibc's
// getpwnam_r, so NSS (/etc/nsswitch.conf, libnss_*) decides. Fails if not found.
package main

import (
	"fmt"
	"os"
	"os/user"
)

var name = "go-user" // set with -ldflags -X main.name=...

func main() {
	u, err := user.Lookup("nonroot")
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("ok %s (nonroot uid %s)\n", name, u.Uid)
}
