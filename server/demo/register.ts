/**
 * Registers the demo fleet: each planned point with its simulated camera's endpoints and
 * credentials, validated by the registry's own input schema and written in bulk, then its first
 * checks spread over a short window.
 */
import type { AppContext } from '../context.js';
import { parseFullCamera } from '../services/registry/camera-input.js';
import type { SimCamera, VendorId } from '../../workers/simulator/index.js';
import { DemoRepository } from './demo.repository.js';
import type { DemoPlan } from './fleet-plan.js';

const CHUNK = 1000;

/** Manufacturer names as a ledger writes them, for the simulator's vendors. */
const VENDOR_NAMES: Record<VendorId, string> = { hikvision: '海康威视', axis: 'Axis', dlink: 'D-Link', happytimesoft: 'Happytimesoft' };

/**
 * Writes every point of `plan` (fleet index = camera index) and spreads the first checks over
 * `firstChecksWithinMs`. Throws on a record the registry would refuse (a bug in the plan).
 * Returns the number of cameras registered.
 */
export async function registerDemoFleet(ctx: AppContext, plan: DemoPlan, cameras: readonly SimCamera[], firstChecksWithinMs: number): Promise<number> {
  const owner = `${ctx.config.countyName}公安局`;
  const nvr = new Set(plan.nvr.indexes);
  const rows = plan.points.map((p) => {
    const cam = cameras[p.index];
    const fields = parseFullCamera(ctx.schemas, {
      deviceId: p.deviceId,
      name: p.name,
      network: p.network,
      town: p.town,
      village: p.village,
      address: p.address,
      longitude: p.lng,
      latitude: p.lat,
      coordinateSystem: 'WGS84',
      pointClass: p.pointClass,
      vendor: VENDOR_NAMES[cam.vendor],
      model: cam.model,
      installDate: p.installDate,
      ownerUnit: nvr.has(p.index) ? plan.nvr.site : owner,
      maintainer: p.maintainer,
      tags: nvr.has(p.index) ? ['演示', 'NVR'] : ['演示'],
      onvifUrl: cam.onvifUrl,
      rtspMainUrl: cam.rtspUrl,
      rtspSubUrl: cam.rtspUrl.replace(/01$/, '02'),
      username: cam.username,
      password: cam.password,
    });
    return ctx.registry.toStored(fields);
  });
  let written = 0;
  for (let first = 0; first < rows.length; first += CHUNK) written += await ctx.cameras.insertMany(rows.slice(first, first + CHUNK));
  await new DemoRepository(ctx.db).spreadFirstChecks(firstChecksWithinMs);
  return written;
}
