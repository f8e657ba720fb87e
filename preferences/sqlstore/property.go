package sqlstore

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

func (t *tx) InsertProperty(ctx context.Context, p preferences.Property) error {
	_, err := t.exec(ctx, `INSERT INTO properties (id, code, name, time_zone, address, phone, from_config)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, p.Code, p.Name, p.TimeZone, p.Address, p.Phone, p.FromConfig)
	return err
}

// propertyColumns are a property's columns (properties p) in scanProperty's order.
const propertyColumns = `p.id, p.code, p.name, p.time_zone, p.address, p.phone, p.from_config`

const propertySelect = `SELECT ` + propertyColumns + ` FROM properties p `

func scanProperty(row rowScanner) (preferences.Property, error) {
	var p preferences.Property
	err := row.Scan(&p.ID, &p.Code, &p.Name, &p.TimeZone, &p.Address, &p.Phone, &p.FromConfig)
	return p, err
}

func (t *tx) Properties(ctx context.Context) ([]preferences.Property, error) {
	rows, err := t.query(ctx, propertySelect+`ORDER BY code`)
	return scanEach(rows, err, scanProperty)
}

func (t *tx) PropertyByID(ctx context.Context, id string) (preferences.Property, error) {
	return t.oneProperty(ctx, `id = ?`, id)
}

func (t *tx) PropertyByCode(ctx context.Context, code string) (preferences.Property, error) {
	return t.oneProperty(ctx, `code = ?`, code)
}

func (t *tx) oneProperty(ctx context.Context, where, arg string) (preferences.Property, error) {
	p, err := scanProperty(t.row(ctx, propertySelect+`WHERE `+where, arg))
	if err == sql.ErrNoRows {
		return p, notFound("property")
	}
	return p, err
}

func (t *tx) ConfigureProperty(ctx context.Context, code, name, timeZone string) error {
	_, err := t.exec(ctx, `UPDATE properties SET code = ?, name = ?, time_zone = ? WHERE from_config = ?`,
		code, name, timeZone, true)
	return err
}
