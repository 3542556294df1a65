import type { CameraStatus, PointClass } from '../domain/camera.js';

/** Fields the registry writes; the password arrives already sealed. */
export interface StoredCameraFields {
  deviceId: string;
  idEdition: '2016' | '2022';
  name: string;
  network: string;
  town: string;
  village: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  pointClass: PointClass | null;
  vendor: string | null;
  model: string | null;
  installDate: string | null;
  ownerUnit: string | null;
  maintainer: string | null;
  tags: string[];
  onvifUrl: string | null;
  rtspMainUrl: string | null;
  rtspSubUrl: string | null;
  username: string | null;
  passwordEnc: string | null;
}

/** A stored camera as the services see it. */
export interface CameraRecord extends StoredCameraFields {
  id: string;
  status: CameraStatus;
  statusSince: Date | null;
  statusCause: string | null;
  decommissionedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CameraRow {
  id: string;
  device_id: string;
  id_edition: '2016' | '2022';
  name: string;
  network_code: string;
  town_code: string;
  village: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  point_class: PointClass | null;
  vendor: string | null;
  model: string | null;
  install_date: string | null;
  owner_unit: string | null;
  maintainer: string | null;
  tags: string[];
  onvif_url: string | null;
  rtsp_main_url: string | null;
  rtsp_sub_url: string | null;
  username: string | null;
  password_enc: string | null;
  status: CameraStatus;
  status_since: Date | null;
  status_cause: string | null;
  decommissioned_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const CAMERA_COLUMNS = `id, device_id, id_edition, name, network_code, town_code, village, address, longitude, latitude,
  point_class, vendor, model, install_date, owner_unit, maintainer, tags, onvif_url, rtsp_main_url, rtsp_sub_url,
  username, password_enc, status, status_since, status_cause, decommissioned_at, created_at, updated_at`;

export function toRecord(row: CameraRow): CameraRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    idEdition: row.id_edition,
    name: row.name,
    network: row.network_code,
    town: row.town_code,
    village: row.village,
    address: row.address,
    longitude: row.longitude,
    latitude: row.latitude,
    pointClass: row.point_class,
    vendor: row.vendor,
    model: row.model,
    installDate: row.install_date,
    ownerUnit: row.owner_unit,
    maintainer: row.maintainer,
    tags: row.tags,
    onvifUrl: row.onvif_url,
    rtspMainUrl: row.rtsp_main_url,
    rtspSubUrl: row.rtsp_sub_url,
    username: row.username,
    passwordEnc: row.password_enc,
    status: row.status,
    statusSince: row.status_since,
    statusCause: row.status_cause,
    decommissionedAt: row.decommissioned_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
