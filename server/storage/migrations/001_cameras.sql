-- Camera registry (一机一档). One row per camera point; decommissioning is a soft delete.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cameras (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id       text NOT NULL CHECK (device_id ~ '^[0-9]{20}$'),
  id_edition      text NOT NULL CHECK (id_edition IN ('2016', '2022')),
  name            text NOT NULL,
  network_code    text NOT NULL,
  town_code       text NOT NULL,
  village         text,
  address         text,
  longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
  latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
  point_class     smallint CHECK (point_class IN (1, 2, 3, 9)),
  vendor          text,
  model           text,
  install_date    date,
  owner_unit      text,
  maintainer      text,
  tags            text[] NOT NULL DEFAULT '{}',
  onvif_url       text,
  rtsp_main_url   text,
  rtsp_sub_url    text,
  username        text,
  -- AES-256-GCM envelope "v1:<keyId>:<iv>:<tag>:<ciphertext>", never the clear password.
  password_enc    text,
  status          text NOT NULL DEFAULT 'unknown'
                  CHECK (status IN ('unknown', 'online', 'degraded', 'offline', 'maintenance')),
  status_since    timestamptz,
  status_cause    text,
  decommissioned_at timestamptz,
  -- Millisecond precision so a keyset cursor built from a JS Date matches the stored value exactly.
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  -- What the free-text filter `q` searches: name, ID, village and address, lower-cased once.
  search_text     text GENERATED ALWAYS AS (
                    lower(name || ' ' || device_id || ' ' || coalesce(village, '') || ' ' || coalesce(address, ''))
                  ) STORED
);

CREATE UNIQUE INDEX cameras_device_id_key ON cameras (device_id);
-- Partial indexes on active cameras serve the common list filters and their counts (index-only
-- scans once vacuumed); single-value filters are written as equality so the planner can use them.
CREATE INDEX cameras_town_network_idx ON cameras (town_code, network_code, device_id) WHERE decommissioned_at IS NULL;
CREATE INDEX cameras_town_name_idx ON cameras (town_code, name, id) WHERE decommissioned_at IS NULL;
CREATE INDEX cameras_status_idx ON cameras (status, town_code) WHERE decommissioned_at IS NULL;
CREATE INDEX cameras_point_class_idx ON cameras (point_class) WHERE decommissioned_at IS NULL;
CREATE INDEX cameras_name_idx ON cameras (name, id);
CREATE INDEX cameras_updated_idx ON cameras (updated_at, id);
CREATE INDEX cameras_tags_idx ON cameras USING gin (tags);
CREATE INDEX cameras_search_trgm_idx ON cameras USING gin (search_text gin_trgm_ops);
