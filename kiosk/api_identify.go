package kiosk

import (
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// identifyRequest is a guest's identification: a document or a booking reference, and
// the family name. language (zh or en) is the kiosk's current language for the greeting.
type identifyRequest struct {
	DocumentType   string `json:"document_type"`
	DocumentNumber string `json:"document_number"`
	Reference      string `json:"reference"`
	FamilyName     string `json:"family_name"`
	Language       string `json:"language"`
}

// identifyResponse is all the kiosk learns of a guest: no contact data, documents,
// birthday, spend or staff notes.
type identifyResponse struct {
	Session     string      `json:"session"`
	Greeting    string      `json:"greeting"`
	Returning   bool        `json:"returning"`
	Language    string      `json:"language"`
	Preferences guestPrefs  `json:"preferences"`
	Arrival     arrivalView `json:"arrival"`
	IdleSeconds int         `json:"idle_seconds"`
}

type arrivalView struct {
	Nights int `json:"nights"`
}

// errNoMatch is the one answer to every failed identification, whichever part did not
// match: unknown document or reference, wrong name, no arrival today, erased guest.
func errNoMatch() error {
	return preferences.Errorf(preferences.ENOTFOUND,
		"We could not find a stay for today with these details. Please check them, or see the front desk.")
}

// Placeholders looked up when the guest used the other way of identifying, so that both
// ways run the same queries.
const (
	noDocumentType   = preferences.DocPassport
	noDocumentNumber = "X0000000"
	noGuest          = "g_none"
	noReference      = "\x00none"
)

func (k *Kiosk) identify(c *fiber.Ctx) error {
	start := time.Now()
	actor := web.ActorOf(c)
	// Lock-outs and failures count per kiosk token, whatever succeeds in between.
	now := k.cfg.Clock.Now()
	until, err := k.store.KioskLockedUntil(c.UserContext(), actor.TokenID, now)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return tooMany(c, until, now)
	}
	var in identifyRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	res, ok, err := k.match(c, in)
	if err != nil {
		return err
	}
	// Every answer, success or failure, takes at least MinIdentify.
	defer func() { time.Sleep(k.cfg.MinIdentify - time.Since(start)) }()
	if !ok {
		until, err := k.store.RecordKioskFailure(c.UserContext(), actor, k.cfg.Clock.Now(), k.cfg.Lockout, k.cfg.MaxFailures)
		if err != nil {
			return err
		}
		if !until.IsZero() {
			k.cfg.OnLockout()
		}
		return errNoMatch()
	}
	return c.JSON(res)
}

// validate checks the shape of the request only; it says nothing about any guest.
func (in *identifyRequest) validate() error {
	in.DocumentType = strings.TrimSpace(in.DocumentType)
	in.Reference = strings.TrimSpace(in.Reference)
	in.FamilyName = strings.TrimSpace(in.FamilyName)
	in.Language = strings.TrimSpace(in.Language)
	var v preferences.Invalid
	byDoc := in.DocumentType != "" || in.DocumentNumber != ""
	switch {
	case byDoc && in.Reference != "":
		v.Add("reference", "send either a document or a reference, not both")
	case !byDoc && in.Reference == "":
		v.Add("document_number", "is required (or a reference)")
	case byDoc && (in.DocumentType == "" || strings.TrimSpace(in.DocumentNumber) == ""):
		v.Add("document_number", "needs document_type and document_number together")
	}
	if in.FamilyName == "" {
		v.Add("family_name", "is required")
	}
	for field, s := range map[string]string{"family_name": in.FamilyName, "reference": in.Reference, "document_number": in.DocumentNumber} {
		if msg := preferences.TextProblem(s, preferences.MaxNameLen, false); msg != "" {
			v.Add(field, "%s", msg)
		}
	}
	if in.Language != "" && in.Language != preferences.LangZH && in.Language != preferences.LangEN {
		v.Add("language", "must be zh or en")
	}
	return v.Err()
}

// match finds the guest with an arrival today that the request describes. Both ways of
// identifying run the same two look-ups whether or not the first one finds anything,
// and the family name is always compared, in constant time.
func (k *Kiosk) match(c *fiber.Ctx, in identifyRequest) (identifyResponse, bool, error) {
	ctx := c.UserContext()
	var guest preferences.Guest
	var arrival preferences.Arrival
	found := true
	notFound := func(err error) (bool, error) {
		if err == nil {
			return true, nil
		}
		switch preferences.ErrorCode(err) {
		case preferences.ENOTFOUND, preferences.EINVALID:
			return false, nil
		}
		return false, err
	}
	if in.Reference == "" {
		g, err := k.store.LookupGuest(ctx, preferences.System, in.DocumentType, in.DocumentNumber)
		ok, err := notFound(err)
		if err != nil {
			return identifyResponse{}, false, err
		}
		id := noGuest
		if ok {
			guest, id = g, g.ID
		}
		a, err := k.store.ArrivalToday(ctx, web.ActorOf(c), id)
		ok2, err := notFound(err)
		if err != nil {
			return identifyResponse{}, false, err
		}
		arrival, found = a, ok && ok2
	} else {
		a, err := k.store.ArrivalByReference(ctx, web.ActorOf(c), in.Reference)
		ok, err := notFound(err)
		if err != nil {
			return identifyResponse{}, false, err
		}
		id := noGuest
		if ok {
			arrival, id = a, a.GuestID
		}
		g, err := k.store.Guest(ctx, preferences.System, id)
		ok2, err := notFound(err)
		if err != nil {
			return identifyResponse{}, false, err
		}
		guest, found = g, ok && ok2
	}
	nameOK := sameFamilyName(in.FamilyName, guest.FamilyName)
	if !found || !nameOK || arrival.GuestID != guest.ID || arrival.Status != preferences.ArrivalExpected {
		return identifyResponse{}, false, nil
	}
	return k.open(c, guest, arrival, in.Language)
}

// open starts the guest's session after a successful identification.
func (k *Kiosk) open(c *fiber.Ctx, g preferences.Guest, a preferences.Arrival, lang string) (identifyResponse, bool, error) {
	ctx := c.UserContext()
	actor := web.ActorOf(c)
	p, err := k.store.Preferences(ctx, preferences.System, g.ID)
	if err != nil {
		return identifyResponse{}, false, err
	}
	stays, err := k.store.StaysCount(ctx, g.ID)
	if err != nil {
		return identifyResponse{}, false, err
	}
	k.store.RecordAccess(ctx, actor, g.ID, preferences.ActionLookup)
	if lang == "" {
		lang = g.Language
	}
	g.Language = lang
	returning := stays > 0
	id, err := k.sessions.start(ctx, preferences.KioskSession{Device: deviceKey(c), GuestID: g.ID, Nights: a.Nights})
	if err != nil {
		return identifyResponse{}, false, err
	}
	return identifyResponse{
		Session:     id,
		Greeting:    preferences.Greeting(g, returning),
		Returning:   returning,
		Language:    lang,
		Preferences: viewPrefs(p),
		Arrival:     arrivalView{Nights: a.Nights},
		IdleSeconds: int(k.cfg.IdleTimeout / time.Second),
	}, true, nil
}

// nameKey keys the family-name comparison: HMACs of equal length, compared in constant
// time, so the comparison takes the same time whatever the names.
var nameKey = []byte("regulars kiosk family name")

// sameFamilyName compares family names trimmed and case-insensitively (Latin letters;
// Chinese characters have no case and must match exactly). An empty stored name (an
// erased guest) never matches.
func sameFamilyName(typed, stored string) bool {
	sum := func(s string) []byte {
		m := hmac.New(sha256.New, nameKey)
		m.Write([]byte(strings.ToLower(strings.Join(strings.Fields(s), " "))))
		return m.Sum(nil)
	}
	a, b := sum(typed), sum(stored)
	return hmac.Equal(a, b) && stored != ""
}

// tooMany answers a locked-out kiosk with 429 and when to try again.
func tooMany(c *fiber.Ctx, until, now time.Time) error {
	secs := int((until.Sub(now) + time.Second - 1) / time.Second) // whole seconds, rounded up
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return preferences.Errorf(preferences.ETOOMANY, "Too many attempts at this kiosk. Please see the front desk.")
}
