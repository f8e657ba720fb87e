package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"regulars/internal/app"
	"regulars/preferences"
)

// command is one subcommand: it gets the arguments after its two words.
type command func(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error

// staffCommands are the token and user commands. Each works on the database of a
// running service: what they change holds from its next request on.
var staffCommands = map[string]command{
	"token create": tokenCreate,
	"token list":   tokenList,
	"token revoke": tokenRevoke,
	"user add":     userAdd,
	"user list":    userList,
	"user disable": userChange(preferences.StaffUserDisable, "disabled", func(ctx context.Context, db *app.Store, name string) error {
		return db.SetUserDisabled(ctx, name, true)
	}),
	"user enable": userChange(preferences.StaffUserEnable, "enabled", func(ctx context.Context, db *app.Store, name string) error {
		return db.SetUserDisabled(ctx, name, false)
	}),
	"user reset-password": userResetPassword,
}

// commandLine is who a command's changes are logged as.
var commandLine = preferences.Actor{Name: "command line", Role: preferences.RoleSystem}

func tokenCreate(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return createCredential(ctx, cfg, "token create", "who or what uses the token", args, stdout, stderr,
		func(db *app.Store, c credential) (string, error) {
			return db.CreateScopedToken(ctx, c.role, c.name, c.validFor, c.property)
		})
}

func userAdd(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return createCredential(ctx, cfg, "user add", "login name", args, stdout, stderr,
		func(db *app.Store, c credential) (string, error) {
			return db.CreateScopedUser(ctx, c.name, c.role, c.property)
		})
}

// credential is what token create and user add are asked for.
type credential struct {
	role     preferences.Role
	name     string
	validFor time.Duration // token create --expires; 0: never
	property string        // --property: a property's code; "": the default scope
}

// createCredential parses --role, --name, --db (and for a token --expires), creates a
// token or login with create, and prints the secret alone on one line of stdout: the
// only time it is ever shown.
func createCredential(ctx context.Context, cfg app.Config, command, nameHelp string, args []string, stdout, stderr io.Writer,
	create func(db *app.Store, c credential) (string, error)) error {
	fs := newFlags(command, stderr)
	role := fs.String("role", "", "manager, frontdesk, housekeeping, kiosk or relay (a token only)")
	name := fs.String("name", "", nameHelp)
	property := fs.String("property", "", "the code of the property it acts for; default the only property, or with several the group (managers only)")
	var expires *string
	if command == "token create" {
		expires = fs.String("expires", "", "refuse the token after this many days, like 90d (1 to 3650); default never")
	}
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	c := credential{name: *name, property: *property}
	var err error
	if c.role, err = checkRoleName(*role, *name); err != nil {
		return err
	}
	if expires != nil {
		if c.validFor, err = preferences.ParseTokenExpiry(*expires); err != nil {
			return usageError{fmt.Sprintf("--expires %q: %v", *expires, err)}
		}
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, _ app.Config) error {
		secret, err := create(db, c)
		if err != nil {
			return err
		}
		action := preferences.StaffUserAdd
		if expires != nil {
			action = preferences.StaffTokenCreate
		}
		preferences.LogStaffChange(newLogger(stderr), commandLine, action, c.name)
		fmt.Fprintln(stdout, secret)
		return nil
	})
}

func checkRoleName(role, name string) (preferences.Role, error) {
	if name == "" {
		return "", usageError{"--name is required"}
	}
	r, err := preferences.ParseRole(role)
	if err != nil {
		return "", usageError{fmt.Sprintf("--role %q: must be manager, frontdesk, housekeeping, kiosk or relay", role)}
	}
	return r, nil
}

// listTime shows an instant in the hotel's zone, to the minute.
func listTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }

// tokenList prints every token: name, role, created, expires and state. Never a token or
// its hash: the database holds no token, and the list shows no hash.
func tokenList(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return listCommand(ctx, cfg, "token list", args, stdout, stderr, "NAME\tROLE\tCREATED\tEXPIRES\tSTATUS\tPROPERTY",
		func(db *app.Store, loc *time.Location, row func(...string)) error {
			tokens, err := db.Tokens(ctx)
			for _, t := range tokens {
				expires := "never"
				if t.ExpiresAt != nil {
					expires = listTime(*t.ExpiresAt, loc)
				}
				row(t.Name, string(t.Role), listTime(t.CreatedAt, loc), expires, t.Status, scopeShown(t.Property))
			}
			return err
		})
}

// userList prints every staff login: name, role, created and whether it is disabled.
func userList(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return listCommand(ctx, cfg, "user list", args, stdout, stderr, "NAME\tROLE\tCREATED\tSTATUS\tPROPERTY",
		func(db *app.Store, loc *time.Location, row func(...string)) error {
			users, err := db.Users(ctx)
			for _, u := range users {
				status := "active"
				if u.DisabledAt != nil {
					status = "disabled since " + listTime(*u.DisabledAt, loc)
				}
				row(u.Name, string(u.Role), listTime(u.CreatedAt, loc), status, scopeShown(u.Property))
			}
			return err
		})
}

// scopeShown names the scope of a token or login: its property's code, or the group.
func scopeShown(code string) string {
	if code == "" {
		return "(group)"
	}
	return code
}

// listCommand parses --db and prints a table: header, then the rows list gives row.
func listCommand(ctx context.Context, cfg app.Config, command string, args []string, stdout, stderr io.Writer, header string,
	list func(db *app.Store, loc *time.Location, row func(...string)) error) error {
	fs := newFlags(command, stderr)
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, cfg app.Config) error {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, header)
		if err := list(db, cfg.Location, func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }); err != nil {
			return err
		}
		return tw.Flush()
	})
}

func tokenRevoke(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return byName(ctx, cfg, "token revoke", "the tokens' name", args, stderr, func(db *app.Store, name string) error {
		n, err := db.RevokeTokens(ctx, name)
		if err != nil {
			return err
		}
		preferences.LogStaffChange(newLogger(stderr), commandLine, preferences.StaffTokenRevoke, name)
		fmt.Fprintf(stdout, "revoked %d token(s) named %q\n", n, name)
		return nil
	})
}

// userChange is a user command that changes the login named by --name with change and
// says it is done.
func userChange(action, done string, change func(ctx context.Context, db *app.Store, name string) error) command {
	return func(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
		return byName(ctx, cfg, "user "+strings.TrimPrefix(action, "user."), "login name", args, stderr, func(db *app.Store, name string) error {
			if err := change(ctx, db, name); err != nil {
				return err
			}
			preferences.LogStaffChange(newLogger(stderr), commandLine, action, name)
			fmt.Fprintf(stdout, "%s %q\n", done, name)
			return nil
		})
	}
}

// userResetPassword prints the new password alone on one line, as user add does.
func userResetPassword(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	return byName(ctx, cfg, "user reset-password", "login name", args, stderr, func(db *app.Store, name string) error {
		password, err := db.ResetPassword(ctx, name)
		if err != nil {
			return err
		}
		preferences.LogStaffChange(newLogger(stderr), commandLine, preferences.StaffUserReset, name)
		fmt.Fprintln(stdout, password)
		return nil
	})
}

// byName parses --name and --db and runs fn on the store with the name.
func byName(ctx context.Context, cfg app.Config, command, nameHelp string, args []string, stderr io.Writer,
	fn func(db *app.Store, name string) error) error {
	fs := newFlags(command, stderr)
	name := fs.String("name", "", nameHelp)
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usageError{"--name is required"}
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, _ app.Config) error { return fn(db, *name) })
}
