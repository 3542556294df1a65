/**
 * Real device captures (copied byte-identical into ./fixtures, see fixtures/SOURCES.md), loaded once
 * and personalised per request: camera address, camera clock, serial number, SDP paths.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VendorId } from './types.js';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A canned SOAP answer and the HTTP status it travels with. */
export interface SoapAnswer {
  status: number;
  body: string;
}

/** One vendor's ONVIF answers, personalised on each call. */
export interface VendorFixtures {
  /** GetSystemDateAndTime with UTC (and local, if the capture has it) set to `cameraNow`. */
  dateTime(cameraNow: number): string;
  deviceInformation(model: string, serialNumber: string): string;
  /** GetCapabilities with every XAddr pointing at `base` (http://host:port). */
  capabilities(base: string): string;
  /** GetServices answer (Axis and D-Link captures fault here, as those cameras do). */
  services(base: string): SoapAnswer;
}

/** Every capture the simulator replays. */
export interface Fixtures {
  vendors: Record<VendorId, VendorFixtures>;
  /** Axis ter:NotAuthorized fault (sent with HTTP 400). */
  notAuthorized: string;
  /** DVC gSOAP "HTTP Error: 401 Unauthorized" fault (sent with HTTP 401). */
  unauthorized401: string;
  /** IPG-8150PSS ter:ActionNotSupported fault (Receiver → HTTP 500). */
  actionNotSupported: string;
  /** SDP bodies; `base` is rtsp://host:port, `path` the stream path. */
  sdp: Record<'h264' | 'h265' | 'audioOnly', (base: string, path: string) => string>;
}

function read(rel: string): string {
  return readFileSync(DIR + rel, 'utf8');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const DATE_FIELDS = /(<(?:[\w.-]+:)?(Hour|Minute|Second|Year|Month|Day)>)\s*\d+\s*(<)/g;
const DATE_BLOCKS = /(<(?:[\w.-]+:)?(UTCDateTime|LocalDateTime)>)([\s\S]*?)(<\/(?:[\w.-]+:)?\2>)/g;

function readBlock(inner: string): number {
  const f: Record<string, number> = {};
  for (const m of inner.matchAll(DATE_FIELDS)) f[m[2]] = Number(/>\s*(\d+)/.exec(m[0])?.[1]);
  return Date.UTC(f.Year, f.Month - 1, f.Day, f.Hour, f.Minute, f.Second);
}

function fields(at: number): Record<string, number> {
  const d = new Date(at);
  return {
    Hour: d.getUTCHours(), Minute: d.getUTCMinutes(), Second: d.getUTCSeconds(),
    Year: d.getUTCFullYear(), Month: d.getUTCMonth() + 1, Day: d.getUTCDate(),
  };
}

/**
 * Template over a GetSystemDateAndTime capture, compiled once into static pieces around the six
 * numbers of each date block (a regex pass per request cost ~100 µs on the big Hikvision header).
 * Local time keeps the capture's offset from UTC.
 */
function dateTimeTemplate(xml: string): (cameraNow: number) => string {
  const blocks: Record<string, number> = {};
  const slots: Array<{ start: number; end: number; local: boolean; field: string }> = [];
  for (const b of xml.matchAll(DATE_BLOCKS)) {
    blocks[b[2]] = readBlock(b[3]);
    const innerStart = (b.index ?? 0) + b[1].length;
    for (const f of b[3].matchAll(DATE_FIELDS)) {
      const start = innerStart + (f.index ?? 0) + f[1].length;
      slots.push({ start, end: innerStart + (f.index ?? 0) + f[0].length - 1, local: b[2] === 'LocalDateTime', field: f[2] });
    }
  }
  const localOffset = blocks.LocalDateTime === undefined ? 0 : blocks.LocalDateTime - blocks.UTCDateTime;
  const pieces = slots.map((slot, i) => xml.slice(i === 0 ? 0 : slots[i - 1].end, slot.start));
  const tail = xml.slice(slots.length ? slots[slots.length - 1].end : 0);
  return (cameraNow) => {
    const utc = fields(cameraNow);
    const local = fields(cameraNow + localOffset);
    let out = '';
    slots.forEach((slot, i) => {
      out += pieces[i] + (slot.local ? local : utc)[slot.field];
    });
    return out + tail;
  };
}

function withXAddrs(xml: string, base: string): string {
  return xml.replace(/(XAddr>\s*)https?:\/\/[^/<\s]+/g, `$1${base}`);
}

function vendor(dir: string, services: string | null, actionNotSupported: string): VendorFixtures {
  const dateTime = dateTimeTemplate(read(`onvif/${dir}/GetSystemDateAndTime.xml`));
  const info = read(`onvif/${dir}/GetDeviceInformation.xml`);
  const caps = read(`onvif/${dir}/GetCapabilities.xml`);
  const svc = services ? read(`onvif/${dir}/${services}`) : null;
  return {
    dateTime,
    deviceInformation: (model, serial) =>
      info
        .replace(/(<(?:[\w.-]+:)?Model>)[^<]*/, `$1${escapeXml(model)}`)
        .replace(/(<(?:[\w.-]+:)?SerialNumber>)[^<]*/, `$1${escapeXml(serial)}`),
    capabilities: (base) => withXAddrs(caps, base),
    services: (base) => {
      if (svc === null) return { status: 500, body: actionNotSupported };
      return services?.startsWith('Fault') ? { status: 500, body: svc } : { status: 200, body: withXAddrs(svc, base) };
    },
  };
}

/** The SDP body of a raw DESCRIBE capture. */
function sdpOf(describe: string): string {
  return describe.slice(describe.indexOf('\r\n\r\n') + 4);
}

/** Drops the media sections whose m= line starts with `m=<media>`. */
function withoutMedia(sdp: string, media: string): string {
  const [session, ...sections] = sdp.split(/\r\n(?=m=)/);
  return [session, ...sections.filter((s) => !s.startsWith(`m=${media} `))].join('\r\n');
}

/** Points a capture's absolute addresses (any IPv4 but 0.0.0.0, optional :554) and path at the camera. */
function personaliseSdp(sdp: string, base: string, path: string, capturedPath?: string): string {
  const host = base.replace(/^rtsp:\/\//, '').replace(/:\d+$/, '');
  let out = sdp.replace(/\b(?!0\.0\.0\.0\b)\d{1,3}(?:\.\d{1,3}){3}(:\d+)?/g, (_m, port?: string) =>
    port ? base.replace(/^rtsp:\/\//, '') : host);
  if (capturedPath) out = out.split(capturedPath).join(path);
  return out;
}

let cache: Fixtures | undefined;

/** Loads every fixture once per process (synchronous file reads on first call). */
export function loadFixtures(): Fixtures {
  if (cache) return cache;
  const actionNotSupported = read('onvif/onvif-ipnc-ipg-8150pss/Fault-ActionNotSupported.xml');
  const hik = sdpOf(read('rtsp/hikvision/DESCRIBE.txt'));
  const dahua265 = sdpOf(read('rtsp/dahua/DESCRIBE-h265-pcma.txt'));
  cache = {
    vendors: {
      hikvision: vendor('hikvision-ds-2cd2012-i', 'GetServices.xml', actionNotSupported),
      axis: vendor('axis-q6045-e', 'Fault-Action-GetServices.xml', actionNotSupported),
      dlink: vendor('dlink-dcs-6511', null, actionNotSupported),
      happytimesoft: vendor('happytimesoft-ipcamera', 'GetServices.xml', actionNotSupported),
    },
    notAuthorized: read('onvif/axis-q6045-e/Fault-NotAuthorized-GetSystemUris.xml'),
    unauthorized401: read('onvif/dvc-dcn-bm2220lpr/Fault-401-Unauthorized-GetSystemDateAndTime.xml'),
    actionNotSupported,
    sdp: {
      h264: (base, path) => personaliseSdp(hik, base, path, '/Streaming/Channels/101'),
      h265: (base, path) => personaliseSdp(dahua265, base, path),
      audioOnly: (base, path) => personaliseSdp(withoutMedia(dahua265, 'video'), base, path),
    },
  };
  return cache;
}
