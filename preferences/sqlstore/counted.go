package sqlstore

import (
	"context"
	"sync"
)

// counted keeps one read (the board's rows, the free rooms) per property with the
// change counter (table change_counters) it was read at. The counter is read in the
// transaction that would read the data, and triggers move it with every change the read
// depends on, at any property, whichever process or instance makes it: a kept copy is
// used only while it is exactly what a fresh read would give. Only a benchmark row that
// needs one keeps a read here.
type counted[T any] struct {
	mu   sync.Mutex
	kept map[string]countedValue[T] // by property ID
	// loading is held by the one read that refills a value: after a change, the
	// requests that arrive meanwhile wait for it instead of each reading the same rows.
	loading sync.Mutex
}

// countedValue is a read and the counter it was read at.
type countedValue[T any] struct {
	n     int64
	value T
}

// get returns the value kept for key when it was read at counter n.
func (c *counted[T]) get(key string, n int64) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.kept[key]
	if !ok || v.n != n {
		var zero T
		return zero, false
	}
	return v.value, true
}

// put keeps value for key as read at counter n, unless a read at a later counter is
// kept. The values kept at an earlier counter are stale: they go.
func (c *counted[T]) put(key string, n int64, value T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.kept[key]; ok && v.n > n {
		return
	}
	if c.kept == nil {
		c.kept = map[string]countedValue[T]{}
	}
	for k, v := range c.kept {
		if v.n < n {
			delete(c.kept, k)
		}
	}
	c.kept[key] = countedValue[T]{n: n, value: value}
}

// counter reads a change counter.
func (t *tx) counter(ctx context.Context, name string) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT n FROM change_counters WHERE name = ?`, name).Scan(&n)
	return n, err
}

// keptRead returns what read gives for the property key, from c when counter name has
// not moved since c kept it; clone gives the caller a copy it may change.
func keptRead[T any](ctx context.Context, t *tx, c *counted[T], name, key string, read func() (T, error), clone func(T) T) (T, error) {
	if !t.reading {
		return read() // a write's transaction sees its own changes, not yet committed
	}
	n, err := t.counter(ctx, name)
	if err != nil {
		var zero T
		return zero, err
	}
	return keptReadAt(t, c, key, n, read, clone)
}

// keptReadAt is keptRead with the counter already read, before read runs (as part of
// an earlier statement: what read gives is then never older than n).
func keptReadAt[T any](t *tx, c *counted[T], key string, n int64, read func() (T, error), clone func(T) T) (T, error) {
	if !t.reading {
		return read()
	}
	if v, ok := c.get(key, n); ok {
		return clone(v), nil
	}
	if err := lockRefill(t, &c.loading); err != nil {
		var zero T
		return zero, err
	}
	defer c.loading.Unlock()
	if v, ok := c.get(key, n); ok { // refilled while this one waited
		return clone(v), nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.put(key, n, v)
	return clone(v), nil
}

// lockRefill takes loading, the lock of a kept read's refill. When another read is
// refilling it and t may yield, it answers *refilling instead: Read waits for that
// refill outside the transaction, so that the connection it holds serves other requests
// meanwhile, and runs again.
func lockRefill(t *tx, loading *sync.Mutex) error {
	switch {
	case !t.mayYield:
		loading.Lock()
	case !loading.TryLock():
		return &refilling{loading}
	}
	return nil
}

// refilling is the error of a kept read that another read is refilling: Read waits for
// that refill to end, then runs its function again.
type refilling struct{ loading *sync.Mutex }

func (*refilling) Error() string { return "sqlstore: a kept read is being refilled" }

// wait returns once the refill has ended.
func (r *refilling) wait() {
	r.loading.Lock()
	//lint:ignore SA2001 an empty critical section: only the refill's end is awaited
	r.loading.Unlock()
}
