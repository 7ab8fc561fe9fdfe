// go-tzdata: time.LoadLocation("Europe/Paris") with `import _ "time/tzdata"`: the tz
// database is embedded (about 450 KB), so it works with no file at all (scratch).
package main

import (
	"fmt"
	"os"
	"time"
	_ "time/tzdata"
)

func main() {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Printf("FAIL go-tzdata: %v\n", err)
		os.Exit(1)
	}
	zone, off := time.Unix(1700000000, 0).In(loc).Zone()
	fmt.Printf("ok go-tzdata (Europe/Paris %s %+d)\n", zone, off)
}
