import { pointClassName, type CameraStatus, type PointClass } from '../../domain/camera.js';
import { countyPrefixWarning, decodeDeviceId, type DecodedDeviceId } from '../../domain/gb28181.js';
import type { CameraRecord } from '../../storage/camera.repository.js';
import type { Catalog } from './catalog.js';

/** A camera as the API presents it: names beside codes, the decoded ID, never a password. */
export interface CameraView {
  id: string;
  deviceId: string;
  idEdition: '2016' | '2022';
  idInfo: DecodedDeviceId;
  name: string;
  network: string;
  networkName: string;
  town: string;
  townName: string;
  village: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  pointClass: PointClass | null;
  pointClassName: string | null;
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
  hasPassword: boolean;
  status: CameraStatus;
  statusSince: string | null;
  statusCause: string | null;
  decommissioned: boolean;
  decommissionedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Non-fatal findings, e.g. a device ID from another county. */
  warnings: string[];
}

/** Warnings worth telling the person who enters a record; they never block saving it. */
export function cameraWarnings(catalog: Catalog, record: Pick<CameraRecord, 'deviceId' | 'idEdition'>): string[] {
  return warningsOf(catalog, decodeDeviceId(record.deviceId, record.idEdition));
}

function warningsOf(catalog: Catalog, decoded: DecodedDeviceId): string[] {
  const warning = countyPrefixWarning(decoded, catalog.countyCode);
  return warning ? [warning] : [];
}

/**
 * Every field is named rather than spread from the record: a list page builds 500 of these, and
 * `{ ...rest, createdAt: iso }` (spreading, then overwriting fields with values of another type)
 * was measured at ~25 µs a row against ~3 µs written out — and no stored field can leak by accident.
 * The ID is decoded once for both idInfo and the warnings.
 */
export function toCameraView(catalog: Catalog, r: CameraRecord): CameraView {
  const idInfo = decodeDeviceId(r.deviceId, r.idEdition);
  return {
    id: r.id,
    deviceId: r.deviceId,
    idEdition: r.idEdition,
    name: r.name,
    network: r.network,
    town: r.town,
    village: r.village,
    address: r.address,
    longitude: r.longitude,
    latitude: r.latitude,
    pointClass: r.pointClass,
    vendor: r.vendor,
    model: r.model,
    installDate: r.installDate,
    ownerUnit: r.ownerUnit,
    maintainer: r.maintainer,
    tags: r.tags,
    onvifUrl: r.onvifUrl,
    rtspMainUrl: r.rtspMainUrl,
    rtspSubUrl: r.rtspSubUrl,
    username: r.username,
    status: r.status,
    statusSince: r.statusSince?.toISOString() ?? null,
    statusCause: r.statusCause,
    decommissionedAt: r.decommissionedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    idInfo,
    networkName: catalog.networks.byCode(r.network)?.name ?? r.network,
    townName: catalog.towns.byCode(r.town)?.name ?? r.town,
    pointClassName: r.pointClass === null ? null : pointClassName(r.pointClass),
    hasPassword: r.passwordEnc !== null,
    decommissioned: r.decommissionedAt !== null,
    warnings: warningsOf(catalog, idInfo),
  };
}
