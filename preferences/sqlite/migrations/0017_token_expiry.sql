-- API tokens may expire (regulars token create --expires 90d). NULL: never. An expired
-- token is refused like a revoked one.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
