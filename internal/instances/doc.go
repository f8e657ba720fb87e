// Package instances holds the tests of several `regulars serve` processes on one
// PostgreSQL database behaving as one service: every scheduled letter sent once, while
// instances crash or their clocks differ, and any request answered alike by any
// instance. It has no code of its own.
package instances
