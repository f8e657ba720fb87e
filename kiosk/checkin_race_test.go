package kiosk_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"regulars/preferences"
)

// Many guests at several kiosks press "check in" at the same moment: every room goes to
// one guest only, and those left over are sent to the desk.
func TestConcurrentCheckInsNeverShareARoom(t *testing.T) {
	h := newHotel(t, nil)
	const guests = 8 // for 4 rooms, all wanting the same one
	kiosks := []string{h.cookie, h.otherKiosk("lobby 2"), h.otherKiosk("lobby 3")}
	type start struct{ cookie, session string }
	var starts []start
	for i := 0; i < guests; i++ {
		family := fmt.Sprintf("Guest%c", 'A'+i)
		doc := fmt.Sprintf("R%07d", 1000000+i)
		g := h.guest(preferences.GuestFields{FamilyName: ptr(family),
			Documents: &[]preferences.DocumentInput{{Type: preferences.DocPassport, Number: doc}}})
		if _, err := h.app.Store.SetPreferences(t.Context(), desk, g, preferences.Preferences{
			Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king"}}, []string{preferences.SectionRoom}); err != nil {
			t.Fatal(err)
		}
		h.arrival(g, "", 1, 0)
		cookie := kiosks[i%len(kiosks)]
		r := h.call("POST", "/api/kiosk/identify", cookie, "",
			map[string]string{"document_type": "passport", "document_number": doc, "family_name": family})
		var out struct{ Session string }
		r.JSON(t, &out)
		starts = append(starts, start{cookie, out.Session})
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	rooms := map[string]int{}
	desk := 0
	gate := make(chan struct{})
	for _, s := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			r := h.call("POST", "/api/kiosk/sessions/"+s.session+"/checkin", s.cookie, "", nil)
			mu.Lock()
			defer mu.Unlock()
			switch r.Status {
			case http.StatusOK:
				var out struct{ Room string }
				r.JSON(t, &out)
				rooms[out.Room]++
			case http.StatusConflict:
				desk++
			default:
				t.Errorf("check-in: %d %s", r.Status, r.Body)
			}
		}()
	}
	close(gate)
	wg.Wait()
	for room, n := range rooms {
		if n != 1 {
			t.Errorf("room %s given to %d guests", room, n)
		}
	}
	if len(rooms) != 4 || desk != guests-4 {
		t.Errorf("rooms given %v, sent to the desk %d", rooms, desk)
	}
}
