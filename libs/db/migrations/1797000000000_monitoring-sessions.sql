-- Up Migration

-- Monitoring's signed-in people. The cookie holds a random session id; only its sha256 is stored,
-- so a copy of this table signs nobody in. A session ends at expires_at (absolute lifetime) or
-- when last_seen_at is older than the idle timeout, whichever comes first; the CSRF token is the
-- synchronizer token every state-changing request made with the cookie must echo in x-csrf-token.
CREATE TABLE monitoring_sessions (
  session_hash  text PRIMARY KEY,
  subject       text NOT NULL,
  name          text,
  email         text,
  roles         text[] NOT NULL,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX monitoring_sessions_expires_at ON monitoring_sessions (expires_at);

-- A sign-in under way: between the redirect to the OpenID provider and its callback, the PKCE
-- verifier, the nonce and the page to return to, by the state the callback brings back. Taken
-- (deleted) once, so a replayed callback finds nothing.
CREATE TABLE monitoring_sign_ins (
  state          text PRIMARY KEY,
  code_verifier  text NOT NULL,
  nonce          text NOT NULL,
  return_to      text NOT NULL,
  expires_at     timestamptz NOT NULL
);

-- Down Migration
DROP TABLE monitoring_sign_ins;
DROP TABLE monitoring_sessions;
