-- Table of @socket.io/postgres-adapter (payloads over NOTIFY's 8000-byte limit), created here once:
-- two servers running the adapter's own CREATE TABLE IF NOT EXISTS at the same moment can fail
-- with a duplicate-key error, while migrations run one at a time under an advisory lock.
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id         bigserial UNIQUE,
  created_at timestamptz DEFAULT now(),
  payload    bytea
);
