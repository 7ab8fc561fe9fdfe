// go-x509: x509.SystemCertPool() with CGO_ENABLED=0: Go's own reader of the system CA
// bundle ($SSL_CERT_FILE, else /etc/ssl/certs/ca-certificates.crt and the other well-known
// files, then the /etc/ssl/certs directory). Fails if there is none. Also built with Go
// 1.19 (go-x509-old) and with -ldflags='-s -w' (go-stripped). Standard library only.
package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

var name = "go-x509" // set with -ldflags -X main.name=...

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Printf("FAIL %s: SystemCertPool: %v\n", name, err)
		os.Exit(1)
	}
	n := len(pool.Subjects()) // deprecated, but fine for a count
	if n == 0 {
		fmt.Printf("FAIL %s: no system certificates\n", name)
		os.Exit(1)
	}
	fmt.Printf("ok %s (%d certificates)\n", name, n)
}
