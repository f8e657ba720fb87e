package preferences_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// withCheck completes 17 digits with their GB 11643 check character.
func withCheck(first17 string) string {
	return first17 + string(preferences.CNCheckDigit(first17))
}

func TestValidateCNResidentID(t *testing.T) {
	tests := []struct {
		name, number, birth, wantErr string
	}{
		{"OK", "110105197505120038", "1975-05-12", ""},
		{"OK check X lower case", "31010419880315002x", "1988-03-15", ""},
		{"OK spaces", " 110105 19750512 0038 ", "1975-05-12", ""},
		{"OK leap day", "110101198002290026", "1980-02-29", ""},
		{"ErrCheckDigit", "110105197505120039", "", "check digit"},
		{"ErrLength", "11010519750512003", "", "18 characters"},
		{"ErrLetters", "1101051975O5120038", "", "digits"},
		{"ErrRegion", "990105197505120038", "", "region"},
		{"ErrImpossibleDate", "110105197502300038", "", "not a real date"},
		{"ErrNotLeapYear", "320102197002290019", "", "not a real date"},
		{"ErrFuture", "110105202712010038", "", "future"},
		{"ErrBadLast", "11010519750512003Y", "", "digit or X"},
		{"OK Hong Kong residence permit", withCheck("81000019900101123"), "1990-01-01", ""},
		{"OK Macau residence permit", withCheck("82000019851224002"), "1985-12-24", ""},
		{"OK Taiwan residence permit", withCheck("83000020010704004"), "2001-07-04", ""},
		{"OK foreign permanent resident 2023", withCheck("91184019800101001"), "1980-01-01", ""},
		{"ErrHongKongCounty", withCheck("81010119900101123"), "", "region"},
		{"ErrForeignNoProvince", withCheck("99084019800101001"), "", "region"},
		{"ErrForeignHongKong", withCheck("98184019800101001"), "", "region"},
		{"ErrBefore1900", withCheck("11010518991231003"), "", "before 1900"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, birth, err := preferences.ValidateDocument(preferences.DocumentInput{Type: "cn_resident_id", Number: tt.number}, today)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if birth != tt.birth {
					t.Fatalf("birth = %q, want %q", birth, tt.birth)
				}
				if len(n) != 18 || strings.ContainsAny(n, " x") {
					t.Fatalf("normalized = %q", n)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want error containing %q", err, tt.wantErr)
			}
			if preferences.ErrorCode(err) != preferences.EINVALID {
				t.Fatalf("code = %s", preferences.ErrorCode(err))
			}
		})
	}
}

func TestValidateOtherDocuments(t *testing.T) {
	ok := []preferences.DocumentInput{{"passport", "E12345678"}, {"passport", "pa 123 456"}, {"other", "UAE-784-1985-1234567-1"}}
	for _, d := range ok {
		if _, _, err := preferences.ValidateDocument(d, today); err != nil {
			t.Errorf("%v: %v", d, err)
		}
	}
	bad := []preferences.DocumentInput{{"passport", "E1"}, {"passport", "E1234567890123456789012"}, {"passport", "E12345678!"},
		{"other", "x"}, {"visa", "E12345678"}, {"", "E12345678"}, {"other", "abc\x00def"}}
	for _, d := range bad {
		if _, _, err := preferences.ValidateDocument(d, today); preferences.ErrorCode(err) != preferences.EINVALID {
			t.Errorf("%v: got %v, want invalid", d, err)
		}
	}
}

func TestSealKeepsNoNumber(t *testing.T) {
	s := preferences.NewSealer([]byte("0123456789abcdef0123"))
	d, err := s.Seal(preferences.DocumentInput{Type: "cn_resident_id", Number: "110105197505120038"}, today)
	if err != nil {
		t.Fatal(err)
	}
	if d.Last4 != "0038" || d.BirthDate != "1975-05-12" || len(d.Hash) != 32 {
		t.Fatalf("sealed = %+v", d)
	}
	if bytes.Contains(d.Hash, []byte("110105197505120038")) {
		t.Fatal("hash contains the number")
	}
	other := preferences.NewSealer([]byte("another-secret-0123"))
	if bytes.Equal(other.Hash("cn_resident_id", "110105197505120038"), d.Hash) {
		t.Fatal("the hash does not depend on the secret")
	}
	if !bytes.Equal(s.Hash("passport", "E12345678"), s.Hash("passport", preferences.NormalizeDocumentNumber("e1234 5678"))) {
		t.Fatal("the same passport typed two ways hashes differently")
	}
}

// FuzzValidateDocument checks that any input either fails with a field error or yields a
// number that passes again unchanged (and, for resident IDs, a correct check digit).
func FuzzValidateDocument(f *testing.F) {
	for _, seed := range []string{"110105197505120038", "31010419880315002X", "110105197505120039", "", "E12345678",
		"１１０１０５", "\xff\xfe", "11010519750230003X", "000000000000000000", "110105197505120038\x00"} {
		f.Add("cn_resident_id", seed)
		f.Add("passport", seed)
		f.Add("other", seed)
	}
	f.Fuzz(func(t *testing.T, docType, number string) {
		n, birth, err := preferences.ValidateDocument(preferences.DocumentInput{Type: docType, Number: number}, today)
		if err != nil {
			if preferences.ErrorCode(err) != preferences.EINVALID {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		n2, birth2, err := preferences.ValidateDocument(preferences.DocumentInput{Type: docType, Number: n}, today)
		if err != nil || n2 != n || birth2 != birth {
			t.Fatalf("not idempotent: %q -> %q (%v)", n, n2, err)
		}
		if docType == preferences.DocCNResidentID {
			if len(n) != 18 || preferences.CNCheckDigit(n) != n[17] {
				t.Fatalf("accepted %q with a wrong check digit", n)
			}
			if _, err := time.Parse(preferences.DateLayout, birth); err != nil {
				t.Fatalf("birth %q: %v", birth, err)
			}
		}
	})
}
