package app

import (
	"crypto/tls"
	"net"
)

// WrapTLS serves HTTPS on ln when a certificate and key are configured.
func WrapTLS(ln net.Listener, cfg Config) (net.Listener, error) {
	if cfg.TLSCert == "" {
		return ln, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		ln.Close()
		return nil, err
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}
