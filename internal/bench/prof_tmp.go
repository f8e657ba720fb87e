package bench

import (
	"context"

	"regulars/preferences/sqlite"
)

// ProfRequest is temporary.
func ProfRequest(db *sqlite.DB, row string) (Request, func(*Worker)) {
	fx, err := loadFixtureDB(context.Background(), 1000000, db)
	if err != nil {
		panic(err)
	}
	switch row {
	case "lookup":
		return fx.lookup(), nil
	case "recognition":
		return fx.recognition(), nil
	case "mixed":
		return fx.mixed(32)
	}
	return fx.housekeeping(), nil
}
