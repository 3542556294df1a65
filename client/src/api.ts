/** Typed calls to the REST API (same origin, JSON under /api/v1). */
import type { CameraFilters, CameraHealth, CameraPage, CameraView, CheckResult, ConsoleConfig, Meta } from './api-types';

const BASE = '/api/v1';

/** An HTTP error with the server's JSON message when it sent one. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path.startsWith('/api/') ? path : BASE + path, {
    ...init,
    headers: { Accept: 'application/json', ...(init?.headers ?? {}) },
    credentials: 'same-origin',
  });
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { message?: string; error?: string; problems?: Array<{ field: string; message: string }> };
      const problems = body.problems?.map((p) => `${p.field}: ${p.message}`).join('; ');
      message = problems || body.message || body.error || message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export const api = {
  config: () => request<ConsoleConfig>('/console/config'),
  meta: () => request<Meta>('/meta'),
  geojson: (url: string) => request<GeoJsonCollection>(url),
  camera: (id: string, signal?: AbortSignal) => request<CameraView>(`/cameras/${encodeURIComponent(id)}`, { signal }),
  health: (id: string, signal?: AbortSignal) => request<CameraHealth>(`/cameras/${encodeURIComponent(id)}/health`, { signal }),
  check: (id: string) => request<CheckResult>(`/cameras/${encodeURIComponent(id)}/check`, { method: 'POST' }),
  cameras(filters: CameraFilters, limit: number, offset: number, signal?: AbortSignal): Promise<CameraPage> {
    const params = new URLSearchParams();
    for (const key of ['town', 'network', 'status', 'pointClass', 'q'] as const) {
      const value = filters[key].trim();
      if (value) params.set(key, value);
    }
    params.set('limit', String(limit));
    params.set('offset', String(offset));
    return request<CameraPage>(`/cameras?${params.toString()}`, { signal });
  },
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

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
