package app

import (
	"encoding/json"
	"sync"

	"github.com/gofiber/fiber/v2"

	"regulars/frontdesk"
	"regulars/kiosk"
	"regulars/scheduler"
)

// openAPIParts are the fragments each web package keeps beside its handlers; they are
// merged into one document: "paths", "components.schemas" and "components.parameters"
// are unioned.
var openAPIParts = [][]byte{frontdesk.OpenAPI, kiosk.OpenAPI, scheduler.OpenAPI}

var openAPIDoc = sync.OnceValues(func() ([]byte, error) {
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Regulars API", "version": "1.0.0",
			"description": "Guest recognition for hotels. Every /api call needs Authorization: Bearer TOKEN; a token revoked or past its expiry (regulars token revoke, token create --expires, or the manager page /manager/staff) gets 401 from its next request on. Errors are application/problem+json with field-level errors. A request body is a JSON object in which no field is null unless its schema allows it (422 naming the body or the field). Any call answers 503 with Retry-After when the storage cannot serve it; the problem type names why (storage-busy, storage-full, storage-failed, storage-corrupt). Document numbers travel only in request bodies."},
		"servers": []any{map[string]any{"url": "/"}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"kioskDevice": map[string]any{"type": "apiKey", "in": "cookie", "name": "regulars_kiosk"}},
			"schemas":    map[string]any{},
			"parameters": map[string]any{},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
		"paths":    map[string]any{},
	}
	paths := doc["paths"].(map[string]any)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	params := doc["components"].(map[string]any)["parameters"].(map[string]any)
	for _, part := range openAPIParts {
		var frag struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas    map[string]any `json:"schemas"`
				Parameters map[string]any `json:"parameters"`
			} `json:"components"`
		}
		if err := json.Unmarshal(part, &frag); err != nil {
			return nil, err
		}
		for k, v := range frag.Paths {
			paths[k] = v
		}
		for k, v := range frag.Components.Schemas {
			schemas[k] = v
		}
		for k, v := range frag.Components.Parameters {
			params[k] = v
		}
	}
	return json.MarshalIndent(doc, "", "  ")
})

func serveOpenAPI(c *fiber.Ctx) error {
	b, err := openAPIDoc()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// OpenAPIDocument returns the merged document that /api/openapi.json serves; the tests
// validate every response they see against it.
func OpenAPIDocument() ([]byte, error) { return openAPIDoc() }
