/**
 * ECharts option for the county map: geo regions coloured by offline share with count labels, and
 * one `large` scatter series per camera state (offline drawn last, on top). Pure: it reads the
 * live maps it is given and returns the option plus, per series, the camera id of each point.
 */
import { use, type ComposeOption } from 'echarts/core';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import { GeoComponent, TooltipComponent, type GeoComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CameraStatus, CameraSummary } from '../../../server/realtime/events';
import { offlineShare, onlineRate, type CountView } from '../live/counts';
import { STATUS_COLORS, shareColor } from './colors';
import { CODE_PROP, aspectScaleFor, type PreparedMap } from './geo';

use([ScatterChart, GeoComponent, TooltipComponent, CanvasRenderer]);

export type MapOption = ComposeOption<ScatterSeriesOption | GeoComponentOption | TooltipComponentOption>;

export const MAP_NAME = 'county';
/** Drawing order: the states an operator must see sit on top. */
export const SERIES_ORDER: readonly CameraStatus[] = ['unknown', 'maintenance', 'online', 'degraded', 'offline'];

export interface MapInputs {
  map: PreparedMap;
  counts: CountView;
  cameras: ReadonlyMap<string, CameraSummary>;
  selectedTown: string;
  townLabel: (code: string) => string;
  statusLabel: (s: CameraStatus) => string;
  /** "在线率" / "Online rate" */
  rateLabel: string;
  hasTiles: boolean;
}

export interface BuiltOption {
  option: MapOption;
  /** ids[seriesIndex][dataIndex] = camera id. */
  ids: string[][];
}

function regionLabel(inputs: MapInputs, code: string): string {
  const t = inputs.counts.towns.get(code);
  const name = `{n|${inputs.townLabel(code)}}`;
  if (!t) return name;
  const parts = [`{on|${t.online}}`, `{off|${t.offline}}`, `{deg|${t.degraded}}`];
  return `${name}\n${parts.join('{sep|/}')}`;
}

/** Hover text of a town: every state with its count, and the online rate. */
function regionTooltip(inputs: MapInputs, code: string): string {
  const t = inputs.counts.towns.get(code);
  if (!t) return inputs.townLabel(code);
  const states = SERIES_ORDER.slice().reverse().filter((s) => t[s] > 0).map((s) => `${inputs.statusLabel(s)} ${t[s]}`);
  const rate = onlineRate(t);
  return `${inputs.townLabel(code)} (${t.total})\n${states.join(' · ')}${rate === null ? '' : `\n${inputs.rateLabel} ${(rate * 100).toFixed(1)}%`}`;
}

/** The geo part (regions, labels); `withView` adds the initial center and zoom. */
function geoOption(inputs: MapInputs, withView: boolean): GeoComponentOption {
  const { map, counts, selectedTown } = inputs;
  const alpha = inputs.hasTiles ? 0.45 : 0.8;
  const regions = map.regions.map((code) => {
    const tally = counts.towns.get(code);
    const selected = code === selectedTown;
    const areaColor = tally ? shareColor(offlineShare(tally), alpha, 27) : `rgba(60,70,85,${alpha})`;
    // the drill-down town is the geo's (single) selection: changing it is a cheap `geoSelect` action
    return { name: code, selected, itemStyle: { areaColor }, select: { itemStyle: { areaColor } } };
  });
  const geo: GeoComponentOption = {
    map: MAP_NAME,
    nameProperty: CODE_PROP,
    roam: true,
    aspectScale: aspectScaleFor(map.bbox),
    scaleLimit: { min: 0.6, max: 40 },
    silent: map.standIn,
    selectedMode: map.standIn ? false : 'single',
    tooltip: { show: !map.standIn, formatter: (p: { name?: string }) => regionTooltip(inputs, p.name ?? '') },
    select: { itemStyle: { borderColor: '#4fc3f7', borderWidth: 3 }, label: { show: false } },
    itemStyle: map.standIn ? { areaColor: 'transparent', borderWidth: 0 } : { areaColor: '#2b3440', borderColor: '#0b1016' },
    emphasis: { disabled: map.standIn, itemStyle: { areaColor: undefined, borderColor: '#4fc3f7', borderWidth: 2 }, label: { show: false } },
    label: { show: false },
    regions,
  };
  if (withView) Object.assign(geo, { zoom: 1, center: [(map.bbox.minLng + map.bbox.maxLng) / 2, (map.bbox.minLat + map.bbox.maxLat) / 2], layoutCenter: ['50%', '50%'], layoutSize: '95%' });
  return geo;
}

/** Town labels (name and counts) as a symbol-less series above the points, so dots never hide them. */
function labelSeries(inputs: MapInputs): ScatterSeriesOption {
  return {
    id: 'town-labels',
    type: 'scatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    silent: true,
    zlevel: 2,
    symbolSize: 0,
    animation: false,
    tooltip: { show: false },
    data: [...inputs.map.centers].map(([code, at]) => ({ name: code, value: at })),
    label: {
      show: true,
      position: 'inside',
      formatter: (p: { name?: string }) => regionLabel(inputs, p.name ?? ''),
      color: '#e6edf3',
      backgroundColor: 'rgba(11,16,22,0.7)',
      padding: [3, 6],
      borderRadius: 4,
      lineHeight: 17,
      align: 'center',
      rich: {
        n: { fontSize: 14, fontWeight: 'bold', color: '#ffffff' },
        on: { color: '#7ee2a8', fontSize: 12 },
        off: { color: '#ff8a8a', fontSize: 12 },
        deg: { color: '#ffd27a', fontSize: 12 },
        sep: { color: '#9aa4b2', fontSize: 12, padding: [0, 2] },
      },
    },
  };
}

/**
 * The whole option, or — when `withPoints` is false (only counts or the selection changed) — the
 * geo part alone: the series keep their data and ECharts skips rebuilding 10,000 points.
 */
export function buildOption(inputs: MapInputs, withView: boolean, withPoints = true): BuiltOption | { option: MapOption; ids: null } {
  if (!withPoints) return { option: { geo: geoOption(inputs, withView), series: [labelSeries(inputs)] }, ids: null };
  // Flat typed arrays [lng, lat, lng, lat, …]: ECharts takes them as they are in large mode.
  const size = new Map<CameraStatus, number>(SERIES_ORDER.map((s) => [s, 0]));
  for (const c of inputs.cameras.values()) if (c.lng !== null && c.lat !== null) size.set(c.status, (size.get(c.status) ?? 0) + 1);
  const points = new Map<CameraStatus, Float64Array>(SERIES_ORDER.map((s) => [s, new Float64Array((size.get(s) ?? 0) * 2)]));
  const ids = new Map<CameraStatus, string[]>(SERIES_ORDER.map((s) => [s, []]));
  for (const c of inputs.cameras.values()) {
    if (c.lng === null || c.lat === null) continue;
    const list = ids.get(c.status);
    const arr = points.get(c.status);
    if (!list || !arr) continue;
    arr[list.length * 2] = c.lng;
    arr[list.length * 2 + 1] = c.lat;
    list.push(c.id);
  }
  const series: ScatterSeriesOption[] = SERIES_ORDER.map((status, i) => ({
    id: `cams-${status}`,
    name: inputs.statusLabel(status),
    type: 'scatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    large: true,
    largeThreshold: 300,
    progressive: 0,
    // outages are round and larger; the healthy majority are small squares (cheaper to draw, and
    // shape as well as colour tells states apart for colour-blind eyes)
    symbol: status === 'offline' || status === 'degraded' ? 'circle' : 'rect',
    symbolSize: status === 'offline' || status === 'degraded' ? 7 : 4,
    // points on their own canvas layer: restyling a region (selection, colours) does not repaint them
    zlevel: 1,
    z: 10 + i,
    itemStyle: { color: STATUS_COLORS[status], opacity: status === 'online' ? 0.85 : 1 },
    emphasis: { scale: 1.6 },
    animation: false,
    dimensions: ['lng', 'lat'],
    data: points.get(status)! as unknown as number[][],
  }));
  const idLists = SERIES_ORDER.map((s) => ids.get(s)!);
  const pointText = (seriesIndex: number, dataIndex: number): string => {
    const c = inputs.cameras.get(idLists[seriesIndex]?.[dataIndex] ?? '');
    if (!c) return '';
    return `${c.name}\n${inputs.townLabel(c.town)} · ${inputs.statusLabel(c.status)}${c.cause ? `\n${c.cause}` : ''}`;
  };
  const option: MapOption = {
    backgroundColor: 'transparent',
    animation: false,
    // richText: drawn on the canvas, no HTML (the CSP forbids inline style attributes)
    tooltip: {
      trigger: 'item', renderMode: 'richText', confine: true, backgroundColor: 'rgba(16,22,30,0.95)', borderColor: '#33414f', textStyle: { color: '#e6edf3' },
      formatter: (p) => {
        const one = Array.isArray(p) ? p[0] : p;
        return one && one.componentType === 'series' ? pointText(one.seriesIndex ?? -1, one.dataIndex) : '';
      },
    },
    geo: geoOption(inputs, withView),
    series: [...series, labelSeries(inputs)],
  };
  return { option, ids: idLists };
}
