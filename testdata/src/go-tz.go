// go-tz: time.LoadLocation("Europe/Paris") with CGO_ENABLED=0: reads
// /usr/share/zoneinfo/Europe/Paris (or $ZONEINFO); fails without it. Also built with
// -tags timetzdata (go-tz-tag), which embeds the tz database and needs no file.
package main

import (
	"fmt"
	"os"
	"time"
)

var name = "go-tz" // set with -ldflags -X main.name=...

func main() {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", name, err)
		os.Exit(1)
	}
	zone, off := time.Unix(1700000000, 0).In(loc).Zone()
	fmt.Printf("ok %s (Europe/Paris %s %+d)\n", name, zone, off)
}
