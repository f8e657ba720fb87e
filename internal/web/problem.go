package web

import (
	"errors"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// Problem is an RFC 9457 problem document with field-level errors.
type Problem struct {
	Type   string                   `json:"type"`
	Title  string                   `json:"title"`
	Status int                      `json:"status"`
	Detail string                   `json:"detail,omitempty"`
	Errors []preferences.FieldError `json:"errors"`
	// RetryAfter, in seconds, is sent as the Retry-After header when not 0.
	RetryAfter int `json:"-"`
}

// ProblemType is the base of problem type URIs.
const ProblemType = "https://regulars.example/problems/"

var codeStatus = map[string]int{
	preferences.EINVALID:      http.StatusUnprocessableEntity,
	preferences.ENOTFOUND:     http.StatusNotFound,
	preferences.ECONFLICT:     http.StatusConflict,
	preferences.EUNAUTHORIZED: http.StatusUnauthorized,
	preferences.EFORBIDDEN:    http.StatusForbidden,
	preferences.ETOOMANY:      http.StatusTooManyRequests,
	preferences.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// retryAfter is how long a client should wait after each storage failure: a lock or a
// full disk passes in moments, or is an operator's job (a corrupt file). Seconds.
var retryAfter = map[string]int{
	preferences.ReasonBusy:    2,
	preferences.ReasonFull:    10,
	preferences.ReasonFailed:  10,
	preferences.ReasonCorrupt: 300,
}

// StatusFor maps a domain error to its HTTP status, 0 for an unexpected error.
func StatusFor(err error) int {
	return codeStatus[preferences.ErrorCode(err)]
}

// ErrorHandler turns any error returned by a handler into a response: problem+json under
// /api (and for JSON clients), a short HTML page elsewhere. Unexpected errors are logged
// and shown as "Internal error." only.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := ProblemFor(err)
		switch p.Status {
		case http.StatusInternalServerError:
			log.Error("internal error", "method", c.Method(), "route", c.Route().Path, "err", err)
		case http.StatusServiceUnavailable:
			log.Warn("storage unavailable", "method", c.Method(), "route", c.Route().Path, "err", err, "cause", Cause(err))
		}
		if wantsHTML(c) {
			c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
			return c.Status(p.Status).SendString(errorPage(p))
		}
		return SendProblem(c, p)
	}
}

// Cause is the underlying cause of a domain error (for the log), else err itself.
func Cause(err error) error {
	var de *preferences.Error
	if errors.As(err, &de) && de.Err != nil {
		return de.Err
	}
	return err
}

// pageMessages explain in words the errors a browser can meet outside the pages' own
// handlers (a mistyped address, a form's address opened again).
var pageMessages = map[int]string{
	http.StatusNotFound:         "There is no page at this address.",
	http.StatusMethodNotAllowed: "This address only answers a form. Go back and use the page instead.",
}

// errorPage is the short page for an error outside the staff pages, in the shell's style.
func errorPage(p Problem) string {
	msg := pageMessages[p.Status]
	if msg == "" {
		msg = "Something went wrong. Go back and try again."
	}
	title := html.EscapeString(p.Title)
	return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title + "</title>" +
		"<link rel=\"stylesheet\" href=\"" + ShellStaticPrefix + "/shell.css\"></head><body><main class=\"page\">" +
		"<section class=\"card narrow\"><h1>" + title + "</h1><p class=\"alert alert-error\" role=\"alert\">" +
		html.EscapeString(msg) + "</p><p><a class=\"btn\" href=\"/\">Back</a></p></section></main></body></html>"
}

// SendProblem writes p as application/problem+json.
func SendProblem(c *fiber.Ctx, p Problem) error {
	if p.Errors == nil {
		p.Errors = []preferences.FieldError{}
	}
	c.Status(p.Status)
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
	if err := c.JSON(p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}

// ProblemFor builds the problem document for err.
func ProblemFor(err error) Problem {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		title := http.StatusText(fe.Code)
		if title == "" {
			title = "Error"
		}
		p := Problem{Type: problemType(title), Title: title, Status: fe.Code}
		switch fe.Code {
		case http.StatusNotFound:
			p.Detail = "There is nothing at this address."
		case http.StatusMethodNotAllowed:
			p.Detail = "This address does not take this method; the Allow header lists those it takes."
		case http.StatusUnsupportedMediaType:
			p.Detail = "Send the body as JSON."
			p.Errors = []preferences.FieldError{{Field: "Content-Type", Message: "must be application/json"}}
		case http.StatusRequestEntityTooLarge:
			p.Detail = "The request body is larger than the limit."
			p.Errors = []preferences.FieldError{{Field: "body", Message: "must be at most 64 KiB"}}
		}
		return p
	}
	var de *preferences.Error
	if !errors.As(err, &de) || codeStatus[de.Code] == 0 {
		return Problem{Type: problemType("internal error"), Title: "Internal error.", Status: http.StatusInternalServerError}
	}
	status := codeStatus[de.Code]
	title := http.StatusText(status)
	if status == http.StatusUnprocessableEntity {
		title = "Invalid input"
	}
	kind := de.Code
	if de.Reason != "" {
		kind = de.Reason // what happened, e.g. storage-busy, not only "unavailable"
	}
	return Problem{Type: problemType(kind), Title: title, Status: status, Detail: de.Message, Errors: de.Fields,
		RetryAfter: retryAfter[de.Reason]}
}

// problemType names every problem in one scheme, ProblemType and a slug of its kind:
// "not_found" and "Not Found" both become .../not-found.
func problemType(kind string) string {
	return ProblemType + strings.ToLower(strings.NewReplacer("_", "-", " ", "-").Replace(kind))
}

func wantsHTML(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Path(), "/api/") {
		return false
	}
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}
