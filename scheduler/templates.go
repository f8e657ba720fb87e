package scheduler

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"regulars/preferences"
)

//go:embed templates/*
var defaultTemplates embed.FS

// letter is what a template sees.
type letter struct {
	Hotel          string // the name of the property of the guest's last stay, else the hotel's (group's)
	Address        string // that property's postal address, "" when not on file
	Phone          string // that property's phone, "" when not on file
	Name           string // the guest's salutation in the letter's language, else their full name
	UnsubscribeURL string // the one-click unsubscribe link
	Year           int    // birthday: the year of the greeting
	Late           bool   // birthday: sent after the day, within the grace (the service was down)
	LastStay       string // lapse: the date of the last check-out, YYYY-MM-DD
	Years          int    // lapse: whole years since then (at least 1)
}

// rendered is one letter ready to send.
type rendered struct{ Subject, Text, HTML string }

type textPair struct {
	text *texttemplate.Template // has "subject" defined inside
	html *htmltemplate.Template
}

// templates holds a text and an HTML template for every kind and language.
type templates map[string]textPair

var templateLanguages = []string{preferences.LangZH, preferences.LangEN}

// loadTemplates parses every letter template: the embedded defaults, each replaced by a
// file of the same name (birthday.zh.txt, lapse.en.html, …) in dir when dir is set. Each
// is executed once with sample data, so a broken template fails here, at start.
func loadTemplates(dir string) (templates, error) {
	read := func(name string) (string, error) {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err == nil {
				return string(b), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
		b, err := defaultTemplates.ReadFile("templates/" + name)
		return string(b), err
	}
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("REGULARS_TEMPLATES: %q is not a folder", dir)
		}
	}
	out := templates{}
	sample := letter{Hotel: "Hotel", Address: "1 Lake Road", Phone: "+86 571 0000 0000", Name: "Guest", UnsubscribeURL: "https://hotel.example/u/x", Year: 2026, LastStay: "2024-01-01", Years: 2}
	for _, kind := range []preferences.OutreachKind{preferences.OutreachBirthday, preferences.OutreachLapse} {
		for _, lang := range templateLanguages {
			base := string(kind) + "." + lang
			src, err := read(base + ".txt")
			if err != nil {
				return nil, fmt.Errorf("template %s.txt: %w", base, err)
			}
			t, err := texttemplate.New(base + ".txt").Option("missingkey=error").Parse(src)
			if err != nil {
				return nil, fmt.Errorf("template %s.txt: %w", base, err)
			}
			if t.Lookup("subject") == nil {
				return nil, fmt.Errorf("template %s.txt: needs {{define \"subject\"}}…{{end}}", base)
			}
			src, err = read(base + ".html")
			if err != nil {
				return nil, fmt.Errorf("template %s.html: %w", base, err)
			}
			h, err := htmltemplate.New(base + ".html").Option("missingkey=error").Parse(src)
			if err != nil {
				return nil, fmt.Errorf("template %s.html: %w", base, err)
			}
			out[base] = textPair{text: t, html: h}
			if _, err := out.render(kind, lang, sample); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// render fills the templates of kind in the guest's language (Chinese for any language
// without its own templates).
func (ts templates) render(kind preferences.OutreachKind, lang string, l letter) (rendered, error) {
	p, ok := ts[string(kind)+"."+lang]
	if !ok {
		p = ts[string(kind)+"."+preferences.LangZH]
	}
	var subj, text, html bytes.Buffer
	if err := p.text.ExecuteTemplate(&subj, "subject", l); err != nil {
		return rendered{}, fmt.Errorf("template %s: %w", p.text.Name(), err)
	}
	if err := p.text.Execute(&text, l); err != nil {
		return rendered{}, fmt.Errorf("template %s: %w", p.text.Name(), err)
	}
	if err := p.html.Execute(&html, l); err != nil {
		return rendered{}, fmt.Errorf("template %s: %w", p.html.Name(), err)
	}
	subject := strings.Join(strings.Fields(subj.String()), " ")
	if subject == "" {
		return rendered{}, fmt.Errorf("template %s: the subject is empty", p.text.Name())
	}
	return rendered{Subject: subject, Text: strings.TrimLeft(text.String(), "\n"), HTML: html.String()}, nil
}
