package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const clientKey = "regulars.client"

// clientAddress finds the address of the client a request comes from and keeps it for
// ClientIP. Only a peer in trusted (a reverse proxy) is believed about who sent the
// request: its X-Forwarded-For is read from the right, through the trusted proxies'
// own entries, to the first address that is not one of them. Reading from the left
// would believe whatever a client wrote into the header before the proxy appended.
func clientAddress(trusted []netip.Prefix) fiber.Handler {
	return func(c *fiber.Ctx) error {
		addr, _ := netip.AddrFromSlice(c.Context().RemoteIP())
		addr = addr.Unmap()
		if InPrefixes(trusted, addr) {
			addr = forwardedClient(trusted, addr, c.Request().Header.PeekAll(fiber.HeaderXForwardedFor))
		}
		c.Locals(clientKey, addr.String())
		return c.Next()
	}
}

// forwardedClient walks the X-Forwarded-For hops from the nearest: the first hop not
// trusted is the client; a malformed hop ends the walk at the last good one.
func forwardedClient(trusted []netip.Prefix, peer netip.Addr, headers [][]byte) netip.Addr {
	var hops []string
	for _, h := range headers {
		hops = append(hops, strings.Split(string(h), ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap()
		if !InPrefixes(trusted, client) {
			break
		}
	}
	return client
}

// InPrefixes reports whether a lies in one of prefixes.
func InPrefixes(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP is the address of the client that sent the request, behind trusted proxies.
func ClientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientKey).(string); ok {
		return ip
	}
	return c.IP()
}

// ParseProxies reads a comma-separated list of CIDRs or single addresses.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
