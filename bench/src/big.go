// A large static Go program for the whichbase benchmark. It embeds blob.bin, about 120 MiB
// of pseudo-random bytes that genblob.go writes with a fixed seed, so the ELF file is over
// 100 MB while its headers, program headers and dynamic info stay as small as any static
// Go binary's. Built with CGO_ENABLED=0, so it has no interpreter and no DT_NEEDED.
package main

import (
	_ "embed"
	"fmt"
)

//go:embed blob.bin
var blob []byte

func main() {
	// Touch the blob so the linker keeps it.
	var sum byte
	for i := 0; i < len(blob); i += 4096 {
		sum ^= blob[i]
	}
	fmt.Printf("big: %d embedded bytes, xor %02x\n", len(blob), sum)
}
