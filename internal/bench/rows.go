package bench

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/valyala/fasthttp"
)

func bearer(req *fasthttp.Request, token string) {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
}

// get calls GET path.
func get(path, token string) Request {
	return func(w *Worker, req *fasthttp.Request) (func(int) bool, func(*fasthttp.Response)) {
		req.SetRequestURI(path)
		bearer(req, token)
		return Status200, nil
	}
}

func post(req *fasthttp.Request, method, path, token string, body []byte) {
	req.Header.SetMethod(method)
	req.SetRequestURI(path)
	req.Header.SetContentType("application/json")
	req.SetBody(body)
	bearer(req, token)
}

// baselinePK reads random sampled guests by primary key from baseline B.
func (fx *fixture) baselinePK() Request {
	return func(w *Worker, req *fasthttp.Request) (func(int) bool, func(*fasthttp.Response)) {
		req.SetRequestURI("/guests/" + fx.ids[w.Next(len(fx.ids))])
		return Status200, nil
	}
}

// lookup finds random sampled guests by document.
func (fx *fixture) lookup() Request {
	return func(w *Worker, req *fasthttp.Request) (func(int) bool, func(*fasthttp.Response)) {
		post(req, "POST", "/api/guests/lookup", fx.deskToken, fx.lookups[w.Next(len(fx.lookups))])
		return Status200, nil
	}
}

// recognition opens the check-in card of random sampled guests.
func (fx *fixture) recognition() Request {
	return func(w *Worker, req *fasthttp.Request) (func(int) bool, func(*fasthttp.Response)) {
		req.SetRequestURI("/api/guests/" + fx.ids[w.Next(len(fx.ids))] + "/recognition")
		bearer(req, fx.deskToken)
		return Status200, nil
	}
}

func (fx *fixture) housekeeping() Request { return get("/api/housekeeping", fx.boardToken) }

// deskState is a mixed-load worker's own guests and room, and its open stay if any, so
// that workers never contend for the same guest or room.
type deskState struct {
	guests []string
	room   string
	stay   string
	writes int
}

var breakfasts = []string{"buffet", "congee, early (6:30)", "in room: fruit platter", "continental, late"}

// mixed is 90% reads (40% look-ups, 40% recognition cards, 10% housekeeping boards) and
// 10% writes (half preference changes, half check-ins and check-outs in turn).
func (fx *fixture) mixed(concurrency int) (Request, func(*Worker)) {
	lookup, recognition, board := fx.lookup(), fx.recognition(), fx.housekeeping()
	var states sync.Map // worker ID → its *deskState
	setup := func(w *Worker) {
		// A later row of this load goes on from the worker's state: its guest still in
		// house is checked out, its room is not checked into twice.
		if st, ok := states.Load(w.ID); ok {
			w.State = st
			return
		}
		st := &deskState{}
		defer states.Store(w.ID, st)
		for i := w.ID; i < len(fx.ids); i += concurrency {
			st.guests = append(st.guests, fx.ids[i])
		}
		if w.ID < len(fx.freeRooms) {
			st.room = fx.freeRooms[w.ID]
		}
		w.State = st
	}
	req := func(w *Worker, req *fasthttp.Request) (func(int) bool, func(*fasthttp.Response)) {
		st := w.State.(*deskState)
		switch n := w.Next(100); {
		case n < 40:
			return lookup(w, req)
		case n < 80:
			return recognition(w, req)
		case n < 90:
			return board(w, req)
		}
		st.writes++
		switch {
		case st.stay != "" && st.writes%2 == 0:
			post(req, "POST", "/api/stays/"+st.stay+"/checkout", fx.deskToken, []byte(`{"spend":"1280.00"}`))
			return Status200, func(*fasthttp.Response) { st.stay = "" }
		case st.room != "" && len(st.guests) > 0 && st.writes%2 == 0:
			guest := st.guests[w.Next(len(st.guests))]
			body := fmt.Sprintf(`{"guest_id":%q,"room":%q,"nights":2}`, guest, st.room)
			post(req, "POST", "/api/stays", fx.deskToken, []byte(body))
			return Status2xx, func(resp *fasthttp.Response) {
				var s struct{ ID string }
				if json.Unmarshal(resp.Body(), &s) == nil {
					st.stay = s.ID
				}
			}
		default:
			guest := st.guests[w.Next(len(st.guests))]
			body := fmt.Sprintf(`{"dining":{"breakfast":%q,"dietary":[]}}`, breakfasts[w.Next(len(breakfasts))])
			post(req, "PATCH", "/api/guests/"+guest+"/preferences", fx.deskToken, []byte(body))
			return Status200, nil
		}
	}
	return req, setup
}
