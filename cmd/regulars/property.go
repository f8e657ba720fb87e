package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"regulars/internal/app"
	"regulars/preferences"
)

// propertyCommands add a hotel to the group and list the group's hotels.
var propertyCommands = map[string]command{
	"add":  propertyAdd,
	"list": propertyList,
}

// propertyAdd adds a property and says so; a taken code fails with a clear error.
func propertyAdd(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("property add", stderr)
	var p preferences.Property
	fs.StringVar(&p.Code, "code", "", "the property's code: "+preferences.PropertyCodeRule)
	fs.StringVar(&p.Name, "name", "", "the property's name, shown to staff and in letters")
	fs.StringVar(&p.TimeZone, "tz", "", "the property's IANA time zone, such as Asia/Shanghai")
	fs.StringVar(&p.Address, "address", "", "the postal address shown in letters (optional)")
	fs.StringVar(&p.Phone, "phone", "", "the phone number shown in letters (optional)")
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	for flag, v := range map[string]string{"--code": p.Code, "--name": p.Name, "--tz": p.TimeZone} {
		if v == "" {
			return usageError{flag + " is required"}
		}
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, _ app.Config) error {
		added, err := db.AddProperty(ctx, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added property %s (%s, %s)\n", added.Code, added.Name, added.TimeZone)
		return nil
	})
}

// propertyList prints every property: code, name, zone, address and phone.
func propertyList(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return listCommand(ctx, cfg, "property list", args, stdout, stderr, "CODE\tNAME\tTZ\tADDRESS\tPHONE",
		func(db *app.Store, loc *time.Location, row func(...string)) error {
			list, err := db.Properties(ctx)
			for _, p := range list {
				zone := p.TimeZone
				if zone == "" { // not named by a start of the service yet: the group's zone
					zone = loc.String()
				}
				row(p.Code, p.Shown(), zone, p.Address, p.Phone)
			}
			return err
		})
}
