/**
 * Point names for the demo fleet, in the style a county's camera ledger uses
 * ("建平镇人民路与梅溪路交叉口 2号杆"). Road, village and place names are generic stand-ins, not a
 * survey of the county's streets. Pure.
 */
import type { Random } from './random.js';

const ROADS = [
  '人民路', '梅溪路', '建平路', '中山路', '解放路', '建设路', '新华路', '振兴路', '文化路', '府前路',
  '长安路', '东风路', '迎宾大道', '工业大道', '团结路', '和平路', '青年路', '育才路', '商贸路', '光明路',
] as const;

const VILLAGES = [
  '东风村', '红星村', '新塘村', '桥头村', '白马村', '双桥村', '高井村', '前进村', '胜利村', '新联村',
  '大塘村', '长岗村', '石桥村', '竹园村', '梅林村', '清溪村', '凤山村', '杨林村', '联合村', '金山村',
] as const;

const VILLAGE_SPOTS = ['村委会', '村口', '文化广场', '主干道', '桥头', '小学门口', '卫生室'] as const;
const PLACES = ['汽车站', '农贸市场', '中心小学', '卫生院', '加油站', '商业街', '敬老院', '中学门口', '便民服务中心'] as const;
const DIRECTIONS = ['东向西', '西向东', '南向北', '北向南'] as const;
const NVR_AREAS = ['门诊大厅', '急诊入口', '住院部大厅', '停车场', '收费处', '药房', '电梯厅', '东门', '西门', '走廊'] as const;

/** The networks the demo names points for (the default four of config/schema.ts). */
export type DemoNetwork = 'sky' | 'ground' | 'vehicle' | 'station';

/** A point's name and where it is, as the registry stores them. */
export interface PointName {
  name: string;
  village: string | null;
  address: string;
}

/**
 * Names points of one town; pole numbers count up per base name, so every name is unique.
 *   sky     → "<town><road>与<road>交叉口 <n>号杆"
 *   vehicle → "<town><road>治安卡口 <direction> <n>号杆"
 *   ground  → "<town><village><spot> <n>号杆" (village set)
 *   station → "<town><place> <n>号杆"
 */
export class TownNamer {
  private readonly poles = new Map<string, number>();
  /** The villages of this town (ground points cluster around them). */
  readonly villages: readonly string[];

  constructor(private readonly town: string, random: Random, villageCount = 5) {
    this.villages = random.shuffle(VILLAGES).slice(0, villageCount);
  }

  /** Names one point of `network`; `village` picks the village for ground points (an index into villages). */
  name(network: DemoNetwork, random: Random, village = 0): PointName {
    switch (network) {
      case 'sky': {
        const [a, b] = random.shuffle(ROADS);
        return this.pole(`${this.town}${a}与${b}交叉口`, null, `${this.town}${a}与${b}交叉口`);
      }
      case 'vehicle': {
        const road = random.pick(ROADS);
        return this.pole(`${this.town}${road}治安卡口 ${random.pick(DIRECTIONS)}`, null, `${this.town}${road}`);
      }
      case 'ground': {
        const v = this.villages[village % this.villages.length];
        return this.pole(`${this.town}${v}${random.pick(VILLAGE_SPOTS)}`, v, `${this.town}${v}`);
      }
      case 'station': {
        const place = random.pick(PLACES);
        return this.pole(`${this.town}${place}`, null, `${this.town}${random.pick(ROADS)}${place}`);
      }
    }
  }

  private pole(base: string, village: string | null, address: string): PointName {
    const n = (this.poles.get(base) ?? 0) + 1;
    this.poles.set(base, n);
    return { name: `${base} ${n}号杆`, village, address };
  }
}

/** Name of channel `channel` (1-based) of the demo NVR at `site` ("建平镇县人民医院 门诊大厅 03通道"). */
export function nvrChannelName(site: string, channel: number): string {
  return `${site} ${NVR_AREAS[(channel - 1) % NVR_AREAS.length]} ${String(channel).padStart(2, '0')}通道`;
}
