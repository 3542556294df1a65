-- Liveness engine. The high-churn check state (schedule, streaks, last results) lives in the narrow
-- camera_checks table, so the wide registry row is rewritten only when a camera's status or cause
-- really changes — lists and counts over cameras stay fast and the table does not bloat.
-- The outage log is kept forever; raw probe samples for a retention period. Storage grows with
-- state changes, not with probes: a healthy round is sampled at most once per
-- SAMPLE_HEALTHY_EVERY_S (default hourly); every round that fails or changes something is kept.

ALTER TABLE cameras ADD COLUMN maintenance_until timestamptz;

CREATE TABLE camera_checks (
  camera_id        uuid PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
  -- 'infinity' while the camera is decommissioned or has no endpoint to check.
  next_check_at    timestamptz NOT NULL,
  claimed_by       text,
  health_streak    smallint NOT NULL DEFAULT 0,
  health_direction text CHECK (health_direction IN ('worse', 'better')),
  last_check_at    timestamptz,
  last_verdict     text,
  last_latency_ms  real,
  -- Summary of the last round for the console: per check ok/kind/latency/facts. Never a credential.
  last_evidence    jsonb,
  last_sample_at   timestamptz
);
-- Workers claim due cameras in next_check_at order (FOR UPDATE SKIP LOCKED); a claim pushes
-- next_check_at forward by the lease, so a crashed worker's cameras fall due again by themselves.
CREATE INDEX camera_checks_due_idx ON camera_checks (next_check_at);

-- Keeps camera_checks in step with the registry whatever writes it (API, import, scripts):
-- checkable cameras are due now when added, restored or given new endpoints; others never.
CREATE FUNCTION sync_camera_checks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  checkable boolean := NEW.decommissioned_at IS NULL AND (NEW.rtsp_main_url IS NOT NULL OR NEW.onvif_url IS NOT NULL);
  due timestamptz := CASE WHEN checkable THEN now() ELSE 'infinity'::timestamptz END;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO camera_checks (camera_id, next_check_at) VALUES (NEW.id, due);
  ELSIF NOT checkable THEN
    UPDATE camera_checks SET next_check_at = 'infinity', claimed_by = NULL WHERE camera_id = NEW.id;
  ELSIF OLD.decommissioned_at IS DISTINCT FROM NEW.decommissioned_at
     OR OLD.rtsp_main_url IS DISTINCT FROM NEW.rtsp_main_url
     OR OLD.onvif_url IS DISTINCT FROM NEW.onvif_url
     OR OLD.username IS DISTINCT FROM NEW.username
     OR OLD.password_enc IS DISTINCT FROM NEW.password_enc THEN
    UPDATE camera_checks SET next_check_at = now() WHERE camera_id = NEW.id AND claimed_by IS NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cameras_sync_checks
  AFTER INSERT OR UPDATE OF decommissioned_at, rtsp_main_url, onvif_url, username, password_enc ON cameras
  FOR EACH ROW EXECUTE FUNCTION sync_camera_checks();

INSERT INTO camera_checks (camera_id, next_check_at)
SELECT id, CASE WHEN decommissioned_at IS NULL AND (rtsp_main_url IS NOT NULL OR onvif_url IS NOT NULL) THEN now() ELSE 'infinity' END
FROM cameras;

-- One row per state change, forever: the source of truth for outages, online rates and assessments.
CREATE TABLE outage_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  camera_id    uuid NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  -- Town and network at the time of the change, so statistics stay true when a camera moves.
  town_code    text NOT NULL,
  network_code text NOT NULL,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  at           timestamptz NOT NULL,
  -- When the state being left began: the duration of the state this row ends is at - from_since.
  from_since   timestamptz,
  cause        text,
  evidence     jsonb,
  worker_id    text
);
CREATE INDEX outage_log_camera_at_idx ON outage_log (camera_id, at);
CREATE INDEX outage_log_at_idx ON outage_log (at);
CREATE INDEX outage_log_town_at_idx ON outage_log (town_code, at);

CREATE TABLE probe_samples (
  camera_id  uuid NOT NULL,
  at         timestamptz NOT NULL,
  worker_id  text NOT NULL,
  verdict    text NOT NULL,
  rtsp_ok    boolean,
  rtsp_ms    real,
  rtsp_fail  text,
  onvif_ok   boolean,
  onvif_ms   real,
  onvif_fail text,
  tcp_ok     boolean,
  tcp_ms     real
);
-- Rows arrive in time order: a BRIN index makes retention pruning cheap at a tiny size.
CREATE INDEX probe_samples_at_brin ON probe_samples USING brin (at);
CREATE INDEX probe_samples_camera_at_idx ON probe_samples (camera_id, at);
