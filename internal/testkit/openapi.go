package testkit

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"regulars/internal/app"
)

// openAPIRouter finds a request's operation in the service's own OpenAPI document,
// loaded and checked once per test binary.
var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	// A vCard is text: checked as the document's string schema, like text/plain.
	openapi3filter.RegisterBodyDecoder("text/vcard", openapi3filter.RegisteredBodyDecoder("text/plain"))
	raw, err := app.OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// CheckOpenAPI fails the test when a response of the API does not match the OpenAPI
// document: an undocumented status, a body that breaks its schema, a wrong content type.
// Requests outside the API (pages, static files) and to routes the document does not have
// (a test of "no such route") are not checked.
func CheckOpenAPI(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/healthz" {
		return
	}
	router, err := openAPIRouter()
	if err != nil {
		t.Fatalf("the OpenAPI document: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %v\nbody: %.600s", req.Method, req.URL.Path, status, err, body)
	}
}

// Do sends req to the app, reads the whole answer and checks it against the OpenAPI document.
func Do(t testing.TB, a *app.App, req *http.Request) Response {
	t.Helper()
	r, err := Send(a, req)
	if err != nil {
		t.Fatal(err)
	}
	CheckOpenAPI(t, req, r.Status, r.Header, r.Body)
	return r
}
