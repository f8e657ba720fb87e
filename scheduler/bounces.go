package scheduler

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// relayOrManager may post bounces: a mail relay's webhook (role relay, which may do
// nothing else) or a manager.
var relayOrManager = web.Allow(preferences.RoleRelay, preferences.RoleManager)

// mountBounces registers the bounce webhook and the manager's lift of a suppression.
func (a *API) mountBounces(r fiber.Router) {
	r.Post("/outreach/bounces", relayOrManager, a.bounce)
	r.Post("/outreach/suppressions/lift", manager, a.liftSuppression)
}

type bounceRequest struct {
	Email      string `json:"email"`
	Kind       string `json:"kind"`
	At         string `json:"at"`
	Diagnostic string `json:"diagnostic"`
}

// bounce records a relay's report: 201 with what was recorded and whether the address
// is now suppressed, 200 with the same for a bounce recorded before (a retry).
func (a *API) bounce(c *fiber.Ctx) error {
	var in bounceRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	b, err := preferences.ParseBounce(in.Email, in.Kind, in.At, in.Diagnostic, a.s.clock.Now())
	if err != nil {
		return err
	}
	res, err := a.s.store.RecordBounce(c.UserContext(), b)
	if err != nil {
		return err
	}
	if !res.Recorded {
		return c.JSON(res)
	}
	a.s.cfg.OnBounce(res.Kind)
	return c.Status(fiber.StatusCreated).JSON(res)
}

type liftRequest struct {
	Email string `json:"email"`
}

// liftSuppression lets letters go to an address again: 200 with the suppression lifted,
// 404 when letters to it are not stopped.
func (a *API) liftSuppression(c *fiber.Ctx) error {
	var in liftRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	sup, err := a.s.store.LiftSuppression(c.UserContext(), web.ActorOf(c), in.Email)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"email": in.Email, "lifted": sup})
}

// dryRunStatus is a dry run's status for a letter to email: dry_run, or suppressed when
// bounces stopped letters to it (the real run would record it so, and send nothing).
func (s *Scheduler) dryRunStatus(ctx context.Context, email string) (string, error) {
	sup, err := s.store.MailSuppressionOf(ctx, email)
	if err != nil || sup == nil {
		return StatusDryRun, err
	}
	return preferences.OutboxSuppressed, nil
}
