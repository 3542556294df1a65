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
  const decoded = decodeDeviceId(record.deviceId, record.idEdition);
  const warning = countyPrefixWarning(decoded, catalog.countyCode);
  return warning ? [warning] : [];
}

export function toCameraView(catalog: Catalog, record: CameraRecord): CameraView {
  const { passwordEnc, ...rest } = record;
  return {
    ...rest,
    idInfo: decodeDeviceId(record.deviceId, record.idEdition),
    networkName: catalog.networks.byCode(record.network)?.name ?? record.network,
    townName: catalog.towns.byCode(record.town)?.name ?? record.town,
    pointClassName: record.pointClass === null ? null : pointClassName(record.pointClass),
    hasPassword: passwordEnc !== null,
    statusSince: record.statusSince?.toISOString() ?? null,
    decommissioned: record.decommissionedAt !== null,
    decommissionedAt: record.decommissionedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    warnings: cameraWarnings(catalog, record),
  };
}
