// go-dns: net.LookupHost("localhost") with CGO_ENABLED=0: Go's own resolver reads
// /etc/nsswitch.conf (if any), /etc/hosts and /etc/resolv.conf.
package main

import (
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	addrs, err := net.LookupHost("localhost")
	if err != nil {
		fmt.Printf("FAIL go-dns: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("ok go-dns (localhost: %s)\n", strings.Join(addrs, " "))
}
