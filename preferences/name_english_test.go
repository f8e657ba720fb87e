package preferences_test

import (
	"testing"

	"regulars/preferences"
)

func TestEnglishSalutation(t *testing.T) {
	man := []preferences.Document{{Type: "cn_resident_id", Last4: "0038"}}   // 17th digit 3: a man
	woman := []preferences.Document{{Type: "cn_resident_id", Last4: "002X"}} // 17th digit 2: a woman
	passport := []preferences.Document{{Type: "passport", Last4: "0038"}}
	tests := []struct {
		name string
		g    preferences.Guest
		want string
	}{
		{"title says Mr.", preferences.Guest{FamilyName: "张", GivenName: "伟", Salutation: "张先生"}, "Mr. Zhang"},
		{"title says Ms.", preferences.Guest{FamilyName: "李", Salutation: "李女士"}, "Ms. Li"},
		{"小姐", preferences.Guest{FamilyName: "陈", Salutation: "陈小姐"}, "Ms. Chen"},
		{"太太", preferences.Guest{FamilyName: "王", Salutation: "王太太"}, "Mrs. Wang"},
		{"教授", preferences.Guest{FamilyName: "吕", Salutation: "吕教授"}, "Prof. Lyu"},
		{"博士 wins over the ID", preferences.Guest{FamilyName: "刘", Salutation: "刘博士", Documents: woman}, "Dr. Liu"},
		{"总 and a man's ID", preferences.Guest{FamilyName: "丁", GivenName: "伟", Salutation: "丁总", Documents: man}, "Mr. Ding"},
		{"经理 and a woman's ID", preferences.Guest{FamilyName: "周", Salutation: "周经理", Documents: woman}, "Ms. Zhou"},
		{"compound surname", preferences.Guest{FamilyName: "欧阳", Salutation: "欧阳总", Documents: man}, "Mr. Ouyang"},
		{"no salutation, the ID tells", preferences.Guest{FamilyName: "王", GivenName: "芳", Documents: woman}, "Ms. Wang"},
		{"family name recorded in pinyin", preferences.Guest{FamilyName: "Ding", Salutation: "丁先生"}, "Mr. Ding"},
		{"English salutation kept", preferences.Guest{FamilyName: "O'Brien", Salutation: "Mr. O'Brien"}, "Mr. O'Brien"},
		{"总 without an ID", preferences.Guest{FamilyName: "丁", Salutation: "丁总"}, ""},
		{"a passport does not tell", preferences.Guest{FamilyName: "丁", Salutation: "丁总", Documents: passport}, ""},
		{"unknown surname", preferences.Guest{FamilyName: "龘", Salutation: "龘先生"}, ""},
		{"unreadable salutation", preferences.Guest{FamilyName: "Smith", Salutation: "老朋友", Documents: man}, ""},
		{"English name, no salutation", preferences.Guest{FamilyName: "Thompson", GivenName: "Emma"}, ""},
	}
	for _, tt := range tests {
		if got := preferences.EnglishSalutation(tt.g); got != tt.want {
			t.Errorf("%s: EnglishSalutation(%q) = %q, want %q", tt.name, tt.g.Salutation, got, tt.want)
		}
	}
}

func TestAddressNameKeepsChinese(t *testing.T) {
	g := preferences.Guest{FamilyName: "丁", GivenName: "伟", Salutation: "丁总",
		Documents: []preferences.Document{{Type: "cn_resident_id", Last4: "0038"}}}
	if got := preferences.AddressName(g, preferences.LangZH); got != "丁总" {
		t.Errorf("AddressName(zh) = %q, want 丁总", got)
	}
	if got := preferences.AddressName(g, preferences.LangEN); got != "Mr. Ding" {
		t.Errorf("AddressName(en) = %q, want Mr. Ding", got)
	}
	emma := preferences.Guest{FamilyName: "Thompson", GivenName: "Emma"}
	if got := preferences.AddressName(emma, preferences.LangEN); got != "Emma Thompson" {
		t.Errorf("AddressName(en) = %q, want Emma Thompson", got)
	}
}
