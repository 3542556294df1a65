import { soapBody } from './fault.js';
import { NS, XmlProtocolError, child, childrenOf, textAt, type XmlElement } from './xml.js';

export { classifyFault, describeFault, parseFault, soapBody, type FaultKind, type SoapFault } from './fault.js';

/**
 * Typed readers for the ONVIF answers the monitor uses. Each takes the parsed document root (a SOAP
 * Envelope), matches by namespace URI + local name, and throws XmlProtocolError when the expected
 * response element is missing (a Fault is read separately with parseFault).
 */

/** GetSystemDateAndTime, reduced to what clock-skew checks need. */
export interface SystemDateAndTime {
  /** Device clock in UTC from UTCDateTime; null when absent or not a real date. */
  utc: Date | null;
  /** TimeZone/TZ exactly as sent (trimmed) — often not valid POSIX, so opaque; null when absent. */
  tz: string | null;
  dst: boolean;
  /** `NTP` or `Manual` as the device says; null when absent. */
  dateTimeType: string | null;
}

/** GetDeviceInformation; Manufacturer is often not a brand (`ONVIF`, `ONVIF_IPNC`, `Happytimesoft`). */
export interface DeviceInformation {
  [field: string]: string;
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  hardwareId: string;
}

/** A stream or snapshot URI from GetStreamUri / GetSnapshotUri. */
export interface MediaUri {
  uri: string;
  /** True for a Media2 (ver20) answer: a bare Uri, no Timeout. */
  media2: boolean;
  /** ISO 8601 duration from MediaUri/Timeout (Media1 only), else null. */
  timeout: string | null;
}

/** One media profile from GetProfiles (Media1 or Media2). */
export interface MediaProfile {
  token: string;
  name: string;
  /** Video encoding (`H264`, `H265`, `JPEG`…); null when the profile has no video encoder. */
  videoEncoding: string | null;
  width: number | null;
  height: number | null;
}

function responseElement(root: XmlElement, ns: string, local: string): XmlElement {
  const response = child(soapBody(root), ns, local);
  if (!response) throw new XmlProtocolError(`SOAP Body has no ${local}`);
  return response;
}

/** The texts of a GetSystemDateAndTimeResponse that SystemDateAndTime is made of (trimmed; null when absent). */
export interface SystemDateAndTimeTexts {
  [field: string]: string | null;
  year: string | null;
  month: string | null;
  day: string | null;
  hour: string | null;
  minute: string | null;
  second: string | null;
  tz: string | null;
  dst: string | null;
  dateTimeType: string | null;
}

/** Integer text (`6`, `06`; already trimmed), else NaN. */
function int(text: string | null): number {
  return text !== null && /^\d{1,4}$/.test(text) ? Number(text) : NaN;
}

/** A tt:DateTime's six field texts as a UTC instant (no zero padding needed); null if any is missing or the date is not real. */
function utcFromTexts(t: Pick<SystemDateAndTimeTexts, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'>): Date | null {
  const [y, mo, d, h, mi, s] = [int(t.year), int(t.month), int(t.day), int(t.hour), int(t.minute), int(t.second)];
  if ([y, mo, d, h, mi, s].some(Number.isNaN)) return null;
  if (h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  const result = new Date(ms);
  // Date.UTC rolls over (month 13, day 31 in February); refuse instead of guessing.
  if (result.getUTCFullYear() !== y || result.getUTCMonth() !== mo - 1 || result.getUTCDate() !== d) return null;
  return result;
}

function dateTimeTexts(dateTime: XmlElement | undefined) {
  const date = child(dateTime, NS.tt, 'Date');
  const time = child(dateTime, NS.tt, 'Time');
  return {
    year: ttText(date, 'Year'), month: ttText(date, 'Month'), day: ttText(date, 'Day'),
    hour: ttText(time, 'Hour'), minute: ttText(time, 'Minute'), second: ttText(time, 'Second'),
  };
}

// Module functions, not closures made per call (V8 re-optimises those after every full GC, and tsx
// wraps each named one in a defineProperty call).
function ttText(el: XmlElement | undefined, local: string): string | null {
  return textAt(el, [NS.tt, local]);
}

function tdsField(response: XmlElement | undefined, local: string): string {
  return textAt(response, [NS.tds, local]) ?? '';
}

/** GetSystemDateAndTimeResponse → the texts its SystemDateAndTime is computed from (see systemDateAndTimeFrom). */
export function systemDateAndTimeTexts(root: XmlElement): SystemDateAndTimeTexts {
  const response = responseElement(root, NS.tds, 'GetSystemDateAndTimeResponse');
  const sdt = child(response, NS.tds, 'SystemDateAndTime');
  if (!sdt) throw new XmlProtocolError('GetSystemDateAndTimeResponse has no SystemDateAndTime');
  return {
    ...dateTimeTexts(child(sdt, NS.tt, 'UTCDateTime')),
    tz: textAt(sdt, [NS.tt, 'TimeZone'], [NS.tt, 'TZ']),
    dst: textAt(sdt, [NS.tt, 'DaylightSavings']),
    dateTimeType: textAt(sdt, [NS.tt, 'DateTimeType']),
  };
}

/** Device UTC clock, raw TZ, DST flag and time source from the answer's texts. */
export function systemDateAndTimeFrom(texts: SystemDateAndTimeTexts): SystemDateAndTime {
  return { utc: utcFromTexts(texts), tz: texts.tz, dst: /^(true|1)$/i.test(texts.dst ?? ''), dateTimeType: texts.dateTimeType };
}

/** GetSystemDateAndTimeResponse → device UTC clock, raw TZ, DST flag and time source. */
export function parseSystemDateAndTime(root: XmlElement): SystemDateAndTime {
  return systemDateAndTimeFrom(systemDateAndTimeTexts(root));
}

/** GetDeviceInformationResponse → the five identity strings ('' for a missing one). */
export function parseDeviceInformation(root: XmlElement): DeviceInformation {
  const response = responseElement(root, NS.tds, 'GetDeviceInformationResponse');
  return {
    manufacturer: tdsField(response, 'Manufacturer'),
    model: tdsField(response, 'Model'),
    firmwareVersion: tdsField(response, 'FirmwareVersion'),
    serialNumber: tdsField(response, 'SerialNumber'),
    hardwareId: tdsField(response, 'HardwareId'),
  };
}

function parseMediaUri(root: XmlElement, operation: 'GetStreamUriResponse' | 'GetSnapshotUriResponse'): MediaUri {
  const body = soapBody(root);
  const media1 = child(body, NS.trt, operation);
  if (media1) {
    const mediaUri = child(media1, NS.trt, 'MediaUri');
    const uri = textAt(mediaUri, [NS.tt, 'Uri']);
    if (!uri) throw new XmlProtocolError(`${operation} has no MediaUri/Uri`);
    return { uri, media2: false, timeout: textAt(mediaUri, [NS.tt, 'Timeout']) };
  }
  const media2 = child(body, NS.tr2, operation);
  const uri = textAt(media2, [NS.tr2, 'Uri']);
  if (!uri) throw new XmlProtocolError(`SOAP Body has no ${operation} with a Uri`);
  return { uri, media2: true, timeout: null };
}

/** GetStreamUriResponse (Media1 trt MediaUri/Uri, or Media2 bare Uri under any prefix) → the RTSP URI. */
export function parseStreamUri(root: XmlElement): MediaUri {
  return parseMediaUri(root, 'GetStreamUriResponse');
}

/** GetSnapshotUriResponse (Media1 or Media2) → the snapshot URI. */
export function parseSnapshotUri(root: XmlElement): MediaUri {
  return parseMediaUri(root, 'GetSnapshotUriResponse');
}

function dimension(resolution: XmlElement | undefined, local: string): number | null {
  const text = textAt(resolution, [NS.tt, local]);
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

function readProfile(profile: XmlElement, media2: boolean): MediaProfile {
  const ns = media2 ? NS.tr2 : NS.tt;
  const encoder = media2
    ? child(child(profile, NS.tr2, 'Configurations'), NS.tr2, 'VideoEncoder')
    : child(profile, NS.tt, 'VideoEncoderConfiguration');
  const resolution = child(encoder, NS.tt, 'Resolution');
  return {
    token: profile.attrs.token ?? '',
    name: textAt(profile, [ns, 'Name']) ?? '',
    videoEncoding: textAt(encoder, [NS.tt, 'Encoding']) || null,
    width: dimension(resolution, 'Width'),
    height: dimension(resolution, 'Height'),
  };
}

/** GetProfilesResponse (Media1 trt or Media2 tr2) → profiles with token, name and video encoding. */
export function parseProfiles(root: XmlElement): MediaProfile[] {
  const body = soapBody(root);
  const media1 = child(body, NS.trt, 'GetProfilesResponse');
  const media2 = media1 ? undefined : child(body, NS.tr2, 'GetProfilesResponse');
  const response = media1 ?? media2;
  if (!response) throw new XmlProtocolError('SOAP Body has no GetProfilesResponse');
  const profiles = childrenOf(response, media1 ? NS.trt : NS.tr2, 'Profiles');
  return profiles.map((p) => readProfile(p, !media1)).filter((p) => p.token !== '');
}

