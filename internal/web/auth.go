package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

const actorKey = "regulars.actor"

// Authenticator resolves the actor of a request. Session-based resolvers (staff pages,
// kiosk devices) can be added next to bearer tokens.
type Authenticator func(c *fiber.Ctx) (preferences.Actor, bool, error)

// Authenticate tries each authenticator in turn and stores the actor for the handlers;
// a request none of them recognises gets 401, with the challenge RFC 9110 asks for.
func Authenticate(auths ...Authenticator) fiber.Handler {
	return func(c *fiber.Ctx) error {
		for _, a := range auths {
			actor, ok, err := a(c)
			if err != nil {
				if preferences.ErrorCode(err) == preferences.EUNAUTHORIZED {
					c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="regulars", error="invalid_token"`)
				}
				return err
			}
			if ok {
				SetActor(c, actor)
				return c.Next()
			}
		}
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="regulars"`)
		return preferences.Errorf(preferences.EUNAUTHORIZED, "A valid bearer token is required.")
	}
}

// BearerToken authenticates `Authorization: Bearer TOKEN` with lookup. A malformed or
// unknown token is 401, not a fall-through to other authenticators.
func BearerToken(lookup func(c *fiber.Ctx, token string) (preferences.Actor, error)) Authenticator {
	return func(c *fiber.Ctx) (preferences.Actor, bool, error) {
		h := c.Get(fiber.HeaderAuthorization)
		if h == "" {
			return preferences.Actor{}, false, nil
		}
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return preferences.Actor{}, false, preferences.Errorf(preferences.EUNAUTHORIZED, "Use Authorization: Bearer TOKEN.")
		}
		actor, err := lookup(c, strings.TrimSpace(token))
		if err != nil {
			return preferences.Actor{}, false, err
		}
		return actor, true, nil
	}
}

// Allow lets only the given roles through (403 for the others).
func Allow(roles ...preferences.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a, ok := c.Locals(actorKey).(preferences.Actor)
		if !ok {
			return preferences.Errorf(preferences.EUNAUTHORIZED, "A valid bearer token is required.")
		}
		for _, r := range roles {
			if a.Role == r {
				return c.Next()
			}
		}
		return preferences.Errorf(preferences.EFORBIDDEN, "The %s role may not do this.", a.Role)
	}
}

// ActorOf returns the authenticated actor of the request.
func ActorOf(c *fiber.Ctx) preferences.Actor {
	a, _ := c.Locals(actorKey).(preferences.Actor)
	return a
}

// SetActor stores the actor of a request, with the property the request names
// (?property=CODE): a group-scope manager acts in it, and anyone else may name only
// their own (the use cases decide). It serves authenticators outside this package too.
func SetActor(c *fiber.Ctx, a preferences.Actor) {
	if code := c.Query("property"); code != "" {
		a.Chosen = strings.Clone(code)
	}
	c.Locals(actorKey, a)
}
