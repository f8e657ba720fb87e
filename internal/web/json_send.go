package web

import (
	"sync"

	"github.com/gofiber/fiber/v2"
)

// jsonScratch holds buffers to encode responses in; SendJSON copies the result into the
// response's own body buffer, which fasthttp pools too.
var jsonScratch = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// SendJSON is c.JSON for a value that encodes itself: appendJSON appends the value's
// JSON (the bytes json.Marshal would write) to a pooled buffer, so a hot response costs
// neither reflection nor a fresh buffer. Content-Type is application/json, as c.JSON
// sets it.
func SendJSON(c *fiber.Ctx, appendJSON func([]byte) ([]byte, error)) error {
	bp := jsonScratch.Get().(*[]byte)
	b, err := appendJSON((*bp)[:0])
	if err == nil {
		c.Response().SetBody(b)
		c.Response().Header.SetContentType(fiber.MIMEApplicationJSON)
	}
	if cap(b) <= 64<<10 { // an unusually large body is not kept
		*bp = b
		jsonScratch.Put(bp)
	}
	return err
}
