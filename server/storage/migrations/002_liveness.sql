-- Liveness engine: per-camera schedule and health state, the outage log (kept forever) and raw
-- probe samples (kept for a retention period). Storage grows with state changes, not with probes:
-- a healthy round is sampled at most once per SAMPLE_HEALTHY_EVERY (default hourly); every round
-- that fails or changes something is kept.

ALTER TABLE cameras
  ADD COLUMN next_check_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN claimed_by        text,
  ADD COLUMN health_streak     smallint NOT NULL DEFAULT 0,
  ADD COLUMN health_direction  text CHECK (health_direction IN ('worse', 'better')),
  ADD COLUMN last_check_at     timestamptz,
  ADD COLUMN last_verdict      text,
  ADD COLUMN last_latency_ms   real,
  -- Summary of the last round for the console's detail drawer: per check ok/kind/latency/facts.
  ADD COLUMN last_evidence     jsonb,
  ADD COLUMN last_sample_at    timestamptz,
  ADD COLUMN maintenance_until timestamptz;

-- Workers claim due cameras in next_check_at order (FOR UPDATE SKIP LOCKED); a claim pushes
-- next_check_at forward by the lease, so a crashed worker's cameras fall due again by themselves.
CREATE INDEX cameras_due_idx ON cameras (next_check_at)
  WHERE decommissioned_at IS NULL AND (rtsp_main_url IS NOT NULL OR onvif_url IS NOT NULL);

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
  -- When the state being left began: the duration of the outage this row closes is at - from_since.
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
