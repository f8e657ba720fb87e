package preferences_test

import (
	"testing"
	"time"

	"regulars/preferences"
)

// Micro-benchmarks of the functions on every check-in request: `go test -bench . ./preferences`
// (RankRooms has its own in room_rank_test.go).

var benchDocs = []preferences.DocumentInput{
	{Type: preferences.DocCNResidentID, Number: "110105197505120038"},
	{Type: preferences.DocCNResidentID, Number: "31010419880315002x"},
	{Type: preferences.DocPassport, Number: "pa 123-4567"},
	{Type: preferences.DocOther, Number: "UAE-784-1985-1234567-1"},
}

func BenchmarkValidateDocument(b *testing.B) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		if _, _, err := preferences.ValidateDocument(benchDocs[i%len(benchDocs)], today); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDocumentHash(b *testing.B) {
	s := preferences.NewSealer([]byte("bench-secret-0123456789abcdef"))
	for b.Loop() {
		s.Hash(preferences.DocCNResidentID, "110105197505120038")
	}
}

func BenchmarkSeal(b *testing.B) {
	s := preferences.NewSealer([]byte("bench-secret-0123456789abcdef"))
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		if _, err := s.Seal(benchDocs[i%len(benchDocs)], today); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGreeting(b *testing.B) {
	g := preferences.Guest{FamilyName: "丁", GivenName: "伟", Salutation: "丁总", Language: preferences.LangZH}
	for b.Loop() {
		preferences.Greeting(g, true)
	}
}
