package preferences

// Greeting is how the desk and the kiosk greet the guest, in the guest's language:
// "丁总,欢迎您再次入住!" for a returning Chinese-speaking guest, "Welcome back, Mr. Ding!"
// in English; a first stay gets a first welcome. The salutation is used when known,
// the full name otherwise.
func Greeting(g Guest, returning bool) string {
	name := g.DisplayName()
	if g.Language == LangZH {
		if name == "" {
			name = "您好"
		}
		if returning {
			return name + ",欢迎您再次入住!"
		}
		return name + ",欢迎您入住!"
	}
	switch {
	case name == "" && returning:
		return "Welcome back!"
	case name == "":
		return "Welcome!"
	case returning:
		return "Welcome back, " + name + "!"
	}
	return "Welcome, " + name + "!"
}
