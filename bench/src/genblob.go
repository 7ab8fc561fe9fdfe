//go:build ignore

// Writes N pseudo-random bytes (fixed seed, so every run makes the same file) to a path:
//   go run genblob.go OUT [BYTES]
package main

import (
	"bufio"
	"math/rand"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) < 2 {
		os.Stderr.WriteString("usage: go run genblob.go OUT [BYTES]\n")
		os.Exit(2)
	}
	n := 120 << 20
	if len(os.Args) > 2 {
		v, err := strconv.Atoi(os.Args[2])
		if err != nil || v <= 0 {
			os.Stderr.WriteString("BYTES must be a positive integer\n")
			os.Exit(2)
		}
		n = v
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewSource(20240601))
	buf := make([]byte, 1<<20)
	for n > 0 {
		k := len(buf)
		if n < k {
			k = n
		}
		r.Read(buf[:k])
		if _, err := w.Write(buf[:k]); err != nil {
			panic(err)
		}
		n -= k
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
