-- Accounts, sessions, API tokens, sign-in throttling and the append-only audit log.

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9._@-]{2,64}$'),
  display_name        text NOT NULL DEFAULT '',
  role                text NOT NULL CHECK (role IN ('admin', 'operator', 'crew', 'leader')),
  -- NULL = the whole county; otherwise the town codes this user may see and change.
  towns               text[] CHECK (towns IS NULL OR cardinality(towns) > 0),
  password_hash       text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT false,
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- The cookie carries a random secret; only its SHA-256 is stored, so a database dump signs no one in.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Integration tokens: "sem_<id>_<secret>"; the secret's SHA-256 is stored.
CREATE TABLE api_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  secret_hash   text NOT NULL,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role          text NOT NULL CHECK (role IN ('admin', 'operator', 'crew', 'leader')),
  towns         text[] CHECK (towns IS NULL OR cardinality(towns) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed sign-ins per key ('account:<lower username>' or 'ip:<address>'), for lockout with back-off.
CREATE TABLE sign_in_throttle (
  key              text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  last_failure_at  timestamptz NOT NULL,
  locked_until     timestamptz
);

-- Who changed what, when, from where. Rows are never updated or deleted (enforced below).
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'token', 'cli', 'system', 'anonymous')),
  actor_id      text,
  actor_name    text NOT NULL,
  ip            text,
  action        text NOT NULL,
  outcome       text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'denied', 'failed')),
  target_type   text,
  target_id     text,
  target_label  text,
  -- Towns the change touched, so a town-scoped admin sees only their own towns' history.
  towns         text[],
  detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_name, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
