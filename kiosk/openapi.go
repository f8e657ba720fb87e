package kiosk

import _ "embed"

// OpenAPI is this package's fragment of the service's OpenAPI document.
//
//go:embed openapi.json
var OpenAPI []byte
