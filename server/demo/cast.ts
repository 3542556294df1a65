/**
 * Who plays which part in the demo script, and the town regions the fleet is placed in (郎溪县's
 * schematic map, drawn from config/geo/langxi-seats.json like config/geo/langxi-towns.geojson).
 */
import { readFileSync } from 'node:fs';
import { buildSchematicMap } from '../domain/schematic-map.js';
import { parseTownSeats } from '../domain/town-seats.js';
import type { DemoPlan, TownRegion } from './fleet-plan.js';
import type { ScriptCast } from './script.js';

const SEATS_FILE = new URL('../../config/geo/langxi-seats.json', import.meta.url);

/** The town of the scripted power cut. */
export const POWER_CUT_TOWN = 'meizhu';

/** 郎溪县's eight town regions (seat + schematic ring), in the seats file's order. */
export function loadDemoRegions(): TownRegion[] {
  const map = buildSchematicMap(parseTownSeats(JSON.parse(readFileSync(SEATS_FILE, 'utf8'))));
  return map.features.map((f) => ({ code: f.properties.code, name: f.properties.name, seat: f.properties.seat, ring: f.geometry.coordinates[0] }));
}

/**
 * Casts the script from a plan: the power cut hits every camera of `powerCutTown`, the NVR is the
 * plan's NVR, the flapping camera is the county seat's first 天网 point outside the NVR, and single
 * faults draw from everyone else. Pure.
 */
export function castFromPlan(plan: DemoPlan, regions: readonly TownRegion[], powerCutTown = POWER_CUT_TOWN): ScriptCast {
  const town = regions.find((r) => r.code === powerCutTown);
  const cut = plan.byTown.get(powerCutTown);
  if (!town || !cut || cut.length === 0) throw new Error(`no cameras in the power-cut town "${powerCutTown}"`);
  const nvr = new Set(plan.nvr.indexes);
  const flapper = plan.points.find((p) => p.town === plan.nvr.town && p.network === 'sky' && !nvr.has(p.index));
  if (!flapper) throw new Error('no 天网 camera to flap in the county seat');
  const excluded = new Set([...cut, ...nvr, flapper.index]);
  return {
    powerCut: { townName: town.name, cameras: cut },
    nvr: { site: plan.nvr.site, cameras: plan.nvr.indexes },
    flapper: { name: flapper.name, camera: flapper.index },
    pool: plan.points.filter((p) => !excluded.has(p.index)).map((p) => p.index),
    nameOf: (index) => plan.points[index].name,
  };
}
