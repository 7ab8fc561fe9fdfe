// go-netgo: user.Lookup("nonroot") and net.LookupHost("localhost") built with
// CGO_ENABLED=1 -tags netgo,osusergo: both use the pure-Go code (/etc/passwd, /etc/hosts,
// /etc/resolv.conf), nothing imports runtime/cgo, so the program comes out static although
// its build info says CGO_ENABLED=1.
package main

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"strings"
)

func main() {
	u, err := user.Lookup("nonroot")
	if err != nil {
		fmt.Printf("FAIL go-netgo: %v\n", err)
		os.Exit(1)
	}
	addrs, err := net.LookupHost("localhost")
	if err != nil {
		fmt.Printf("FAIL go-netgo: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("ok go-netgo (nonroot uid %s; localhost: %s)\n", u.Uid, strings.Join(addrs, " "))
}
