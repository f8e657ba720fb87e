// Package demo loads a small, believable demo hotel into an empty database: rooms on
// several floors, a dozen guests with history (Mr. Ding among them), and one account
// per role.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"regulars/internal/shiftclock"
	"regulars/preferences"
)

// Credentials are the demo accounts, printed once when the demo is loaded.
type Credentials struct {
	Users        []Account
	ManagerToken string
	KioskToken   string
}

// Account is one staff login.
type Account struct {
	Name, Role, Password string
}

// Print writes the credentials for the person who started the service.
func (c *Credentials) Print(w io.Writer, publicURL string) {
	fmt.Fprintf(w, "\nDemo hotel loaded. These credentials are shown only once; note them now.\n\n")
	fmt.Fprintf(w, "  Staff sign-in: %s/login\n", publicURL)
	for _, u := range c.Users {
		fmt.Fprintf(w, "    %-13s password %s\n", u.Name, u.Password)
	}
	fmt.Fprintf(w, "\n  Kiosk: open %s/kiosk?pair=%s once on the lobby kiosk\n", publicURL, c.KioskToken)
	fmt.Fprintf(w, "  API token (manager): %s\n\n", c.ManagerToken)
}

var system = preferences.Actor{Name: "demo", Role: preferences.RoleManager}

// Load fills an empty database with the demo hotel and returns the new credentials;
// it returns nil and changes nothing when the database already holds guests or staff.
// The hotel is made through the use cases, on a clock of its own that it moves back for
// the history (feedback given days ago).
func Load(ctx context.Context, repo preferences.Repository, secret []byte, loc *time.Location) (creds *Credentials, err error) {
	clock := shiftclock.New()
	db, err := preferences.NewService(repo, preferences.ServiceOptions{Secret: secret, Location: loc, Clock: clock})
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, db.Close(context.WithoutCancel(ctx))) }()
	guests, err := db.GuestCount(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := db.Users(ctx)
	if err != nil || guests+len(staff) > 0 {
		return nil, err
	}
	if err := loadRooms(ctx, db); err != nil {
		return nil, err
	}
	today := time.Now().In(loc)
	if err := loadGuests(ctx, db, today); err != nil {
		return nil, err
	}
	if err := loadFrontDesk(ctx, db, clock, today); err != nil {
		return nil, err
	}
	creds = &Credentials{}
	for _, role := range []preferences.Role{preferences.RoleManager, preferences.RoleFrontDesk, preferences.RoleHousekeeping} {
		pw, err := db.CreateUser(ctx, string(role), role)
		if err != nil {
			return nil, err
		}
		creds.Users = append(creds.Users, Account{Name: string(role), Role: string(role), Password: pw})
	}
	if creds.KioskToken, err = db.CreateToken(ctx, preferences.RoleKiosk, "Lobby kiosk"); err != nil {
		return nil, err
	}
	if creds.ManagerToken, err = db.CreateToken(ctx, preferences.RoleManager, "demo manager"); err != nil {
		return nil, err
	}
	return creds, nil
}

// The demo hotel: ten floors, six rooms each. Rooms x01-x02 face the river, x03-x04 the
// city, x05-x06 the garden (low floors) or the park; x05-x06 are away from the lifts.
var demoFloors = []int{3, 5, 8, 12, 16, 19, 20, 21, 22, 23}

func loadRooms(ctx context.Context, db *preferences.Service) error {
	for _, floor := range demoFloors {
		for i := 1; i <= 6; i++ {
			r := preferences.Room{Number: fmt.Sprintf("%d%02d", floor, i), Floor: floor}
			switch i {
			case 1, 2:
				r.View = "river"
			case 3, 4:
				r.View = "city"
			default:
				r.View = "garden"
				if floor >= 12 {
					r.View = "park"
				}
				r.Quiet = true
			}
			r.Bed = []string{"king", "twin", "king", "twin", "king", "queen"}[i-1]
			if floor >= 8 {
				r.Features = append(r.Features, "internet")
			}
			if i == 1 || i == 5 {
				r.Features = append(r.Features, "bathtub")
			}
			if i >= 5 {
				r.Features = append(r.Features, "hypoallergenic")
			}
			if floor == 3 && i == 4 {
				r.Features = append(r.Features, "accessible")
			}
			r.Smoking = floor == 3 && i == 6
			if _, err := db.PutRoom(ctx, system, r); err != nil {
				return err
			}
		}
	}
	return nil
}
