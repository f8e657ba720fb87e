package bench_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"
)

// The mixed row's writes, in-process: a preference change, and a check-in followed by
// its check-out (each a write transaction of its own).

func BenchmarkPreferenceChange(b *testing.B) {
	e := newEndpoint(b, 5000)
	meals := []string{"buffet", "congee, early (6:30)"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		body := fmt.Appendf(nil, `{"dining":{"breakfast":%q,"dietary":[]}}`, meals[i%2])
		e.call(b, "PATCH", "/api/guests/"+e.ids[i%len(e.ids)]+"/preferences", e.desk, body)
	}
}

func BenchmarkCheckInOut(b *testing.B) {
	e := newEndpoint(b, 5000)
	room := e.freeRoom(b)
	var out []string // guests not in house
	for _, id := range e.ids {
		if !e.inHouse(id) {
			out = append(out, id)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		guest := out[i%len(out)]
		body := fmt.Appendf(nil, `{"guest_id":%q,"room":%q,"nights":2}`, guest, room)
		var c fasthttp.RequestCtx
		c.Request.Header.SetMethod("POST")
		c.Request.SetRequestURI("/api/stays")
		c.Request.Header.Set("Authorization", "Bearer "+e.desk)
		c.Request.Header.SetContentType("application/json")
		c.Request.SetBody(body)
		e.handler(&c)
		var s struct{ ID string }
		if code := c.Response.StatusCode(); code/100 != 2 || json.Unmarshal(c.Response.Body(), &s) != nil {
			b.Fatalf("check-in → %d %s", code, c.Response.Body())
		}
		e.call(b, "POST", "/api/stays/"+s.ID+"/checkout", e.desk, []byte(`{"spend":"1280.00"}`))
	}
}

// freeRoom returns the best free room the recognition card suggests.
func (e *endpoint) freeRoom(b *testing.B) string {
	var c fasthttp.RequestCtx
	c.Request.SetRequestURI("/api/guests/" + e.ids[0] + "/recognition")
	c.Request.Header.Set("Authorization", "Bearer "+e.desk)
	e.handler(&c)
	var card struct {
		SuggestedRooms []struct{ Number string } `json:"suggested_rooms"`
	}
	if err := json.Unmarshal(c.Response.Body(), &card); err != nil || len(card.SuggestedRooms) == 0 {
		b.Fatalf("no free room: %s", c.Response.Body())
	}
	return card.SuggestedRooms[0].Number
}

// inHouse reports whether the guest has an open stay (their card says so).
func (e *endpoint) inHouse(guest string) bool {
	var c fasthttp.RequestCtx
	c.Request.SetRequestURI("/api/guests/" + guest + "/recognition")
	c.Request.Header.Set("Authorization", "Bearer "+e.desk)
	e.handler(&c)
	var card struct {
		InHouse *struct{} `json:"in_house"`
	}
	json.Unmarshal(c.Response.Body(), &card)
	return card.InHouse != nil
}
