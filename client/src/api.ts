/** Typed calls to the console's REST API (same origin, JSON under /api/v1; see http.ts). */
import { query, request, send } from './http';
import type { CameraFilters, CameraHealth, CameraPage, CameraView, CheckResult, ConsoleConfig, Meta } from './api-types';

export const api = {
  config: () => request<ConsoleConfig>('/console/config'),
  meta: () => request<Meta>('/meta'),
  geojson: (url: string) => request<GeoJsonCollection>(url),
  camera: (id: string, signal?: AbortSignal) => request<CameraView>(`/cameras/${encodeURIComponent(id)}`, { signal }),
  health: (id: string, signal?: AbortSignal) => request<CameraHealth>(`/cameras/${encodeURIComponent(id)}/health`, { signal }),
  check: (id: string) => send<CheckResult>('POST', `/cameras/${encodeURIComponent(id)}/check`),
  cameras: (filters: CameraFilters, limit: number, offset: number, signal?: AbortSignal) =>
    request<CameraPage>(`/cameras${query({ ...filters, limit, offset })}`, { signal }),
};

/** The little of GeoJSON the map needs. */
export interface GeoJsonFeature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
  schematic?: boolean;
}

export { ApiError, errorText } from './http';
