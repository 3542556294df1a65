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
import { offlineShare, type CountView } from '../live/counts';
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

/** The geo part (regions, labels); `withView` adds the initial center and zoom. */
function geoOption(inputs: MapInputs, withView: boolean): GeoComponentOption {
  const { map, counts, selectedTown } = inputs;
  const alpha = inputs.hasTiles ? 0.45 : 0.8;
  const regions = map.regions.map((code) => {
    const tally = counts.towns.get(code);
    const selected = code === selectedTown;
    return {
      name: code,
      itemStyle: {
        areaColor: tally ? shareColor(offlineShare(tally), alpha, 27) : `rgba(60,70,85,${alpha})`,
        borderColor: selected ? '#4fc3f7' : '#0b1016',
        borderWidth: selected ? 3 : 1,
      },
      label: { fontWeight: selected ? ('bold' as const) : ('normal' as const) },
    };
  });
  const geo: GeoComponentOption = {
    map: MAP_NAME,
    nameProperty: CODE_PROP,
    roam: true,
    aspectScale: aspectScaleFor(map.bbox),
    scaleLimit: { min: 0.6, max: 40 },
    silent: map.standIn,
    selectedMode: false,
    itemStyle: map.standIn ? { areaColor: 'transparent', borderWidth: 0 } : { areaColor: '#2b3440', borderColor: '#0b1016' },
    emphasis: { disabled: map.standIn, itemStyle: { areaColor: undefined, borderColor: '#4fc3f7', borderWidth: 2 }, label: { show: true } },
    label: {
      show: !map.standIn,
      formatter: (p: { name?: string }) => regionLabel(inputs, p.name ?? ''),
      color: '#e6edf3',
      backgroundColor: 'rgba(11,16,22,0.72)',
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
    regions,
  };
  if (withView) Object.assign(geo, { zoom: 1, center: [(map.bbox.minLng + map.bbox.maxLng) / 2, (map.bbox.minLat + map.bbox.maxLat) / 2], layoutCenter: ['50%', '50%'], layoutSize: '95%' });
  return geo;
}

export function buildOption(inputs: MapInputs, withView: boolean): BuiltOption {
  const points = new Map<CameraStatus, number[][]>(SERIES_ORDER.map((s) => [s, []]));
  const ids = new Map<CameraStatus, string[]>(SERIES_ORDER.map((s) => [s, []]));
  for (const c of inputs.cameras.values()) {
    if (c.lng === null || c.lat === null) continue;
    points.get(c.status)?.push([c.lng, c.lat]);
    ids.get(c.status)?.push(c.id);
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
    symbolSize: status === 'offline' || status === 'degraded' ? 7 : 5,
    z: 10 + i,
    itemStyle: { color: STATUS_COLORS[status], opacity: status === 'online' ? 0.85 : 1 },
    emphasis: { scale: 1.6 },
    animation: false,
    data: points.get(status)!,
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
    series,
  };
  return { option, ids: idLists };
}
