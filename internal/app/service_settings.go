package app

import (
	"context"
	"fmt"
	"strings"

	"regulars/preferences"
)

// The settings the service records at every start, for the commands run on its database
// from another environment (a shell without the service's REGULARS_* variables).
const (
	storedPublicURL = "public_url"
	storedTimeZone  = "time_zone"
)

// recordServiceSettings stores the public URL and zone the service runs with, and
// names the property of a group of one after the configuration.
func recordServiceSettings(ctx context.Context, cfg Config, db *Store) error {
	err := db.SaveServiceSettings(ctx, map[string]string{storedPublicURL: cfg.PublicURL, storedTimeZone: cfg.Location.String()})
	if err != nil {
		return err
	}
	return db.ConfigureProperty(ctx, cfg.PropertyCode, cfg.HotelName)
}

// AdoptServiceSettings takes the public URL and the zone the service recorded at its last
// start wherever the environment set neither, so that what a command writes (unsubscribe
// links, "today") matches the service. It says where each value came from, and whether
// the zone changed (a store opened before must then be opened again).
func AdoptServiceSettings(ctx context.Context, cfg *Config, db *Store) (said string, zoneChanged bool, err error) {
	stored, err := db.ServiceSettings(ctx)
	if err != nil {
		return "", false, err
	}
	source := func(name string, storedValue string) string {
		switch {
		case cfg.Given(name):
			return name
		case storedValue != "":
			return "recorded by the service at its last start"
		}
		return "default; the service has recorded none: set " + name
	}
	urlFrom, zoneFrom := source("REGULARS_PUBLIC_URL", stored[storedPublicURL]), source("REGULARS_TZ", stored[storedTimeZone])
	if !cfg.Given("REGULARS_PUBLIC_URL") && stored[storedPublicURL] != "" {
		cfg.PublicURL = stored[storedPublicURL]
	}
	if !cfg.Given("REGULARS_TZ") && stored[storedTimeZone] != "" && stored[storedTimeZone] != cfg.Location.String() {
		loc, err := preferences.LoadZone(stored[storedTimeZone])
		if err != nil {
			return "", false, fmt.Errorf("the zone the service recorded, %q: %w", stored[storedTimeZone], err)
		}
		cfg.Location, zoneChanged = loc, true
	}
	said = fmt.Sprintf("public URL %s (%s), zone %s (%s)", strings.TrimRight(cfg.PublicURL, "/"), urlFrom, cfg.Location, zoneFrom)
	return said, zoneChanged, nil
}
