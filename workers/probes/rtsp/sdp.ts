/**
 * Just enough SDP (RFC 8866) to tell whether a stream carries video and with which codec.
 */

import { isSpace } from '../chars.js';

/** One `m=` section. */
export interface SdpMedia {
  /** 'video', 'audio', 'application', or whatever the device wrote (`application/TP-LINK`). */
  type: string;
  /** Payload formats from the m= line, in order. */
  formats: string[];
  /** Encoding name per payload type from `a=rtpmap` (as written, e.g. 'H264', 'MPEG4-GENERIC'). */
  rtpmap: Record<string, string>;
  /** The `a=control` value as written (absolute URL, relative path or '*'), or null. */
  control: string | null;
  /** Codec of the first format: rtpmap name upper-cased, the static payload name, or null. */
  codec: string | null;
}

export interface SdpSummary {
  /** Session-level `a=control`, or null. */
  control: string | null;
  media: SdpMedia[];
}

/** RFC 3551 static payload types a camera may use without an rtpmap line. */
const STATIC_PAYLOADS: Record<string, string> = { '0': 'PCMU', '3': 'GSM', '8': 'PCMA', '9': 'G722', '14': 'MPA', '26': 'JPEG', '32': 'MPV', '33': 'MP2T', '34': 'H263' };

/** Spellings some devices use for the same codec. */
const ALIASES: Record<string, string> = { HEVC: 'H265', AVC: 'H264' };

/**
 * Codec of one media section.
 *   rtpmap for the first format 'H264/90000'   → 'H264'
 *   'hevc/90000'                               → 'H265'
 *   format '0', no rtpmap                      → 'PCMU' (static payload)
 *   format 'smart/1/90000', one rtpmap 'TP-LINK' → 'TP-LINK' (the only mapping given)
 *   format '96', no rtpmap                     → null
 */
export function mediaCodec(formats: string[], rtpmap: Record<string, string>): string | null {
  const first = formats[0];
  let name = first !== undefined ? (rtpmap[first] ?? STATIC_PAYLOADS[first]) : undefined;
  if (name === undefined) {
    const names = Object.values(rtpmap);
    if (names.length === 1) name = names[0];
  }
  if (!name) return null;
  const upper = name.toUpperCase();
  return ALIASES[upper] ?? upper;
}

const M = 0x6d; // 'm'
const A = 0x61; // 'a'
const EQUALS = 0x3d;

/**
 * Parses an SDP body (CRLF or LF). Unknown lines are skipped; media-level attributes belong to the
 * last `m=` line before them. Lines are found with indexOf and only `m=`/`a=` lines (or lines with
 * leading white space, trimmed as before) are cut out: this runs on every DESCRIBE answer.
 */
export function parseSdp(text: string): SdpSummary {
  const summary: SdpSummary = { control: null, media: [] };
  let current: SdpMedia | null = null;
  for (let lineStart = 0, end = 0; lineStart <= text.length; lineStart = end + 1) {
    end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    const first = text.charCodeAt(lineStart);
    // Only m= and a= lines matter; anything else is skipped unless white space hides its first letter.
    if (!(((first === M || first === A) && text.charCodeAt(lineStart + 1) === EQUALS) || isSpace(first))) continue;
    const line = text.slice(lineStart, end).trim();
    if (line.startsWith('m=')) {
      const [type = '', , , ...formats] = line.slice(2).split(/\s+/);
      current = { type, formats, rtpmap: {}, control: null, codec: null };
      summary.media.push(current);
    } else if (line.startsWith('a=control:')) {
      const control = line.slice('a=control:'.length).trim();
      if (current) current.control = control;
      else summary.control = control;
    } else if (line.startsWith('a=rtpmap:') && current) {
      const m = /^a=rtpmap:(\S+)\s+([^/\s]+)/.exec(line);
      if (m) current.rtpmap[m[1]] = m[2];
    }
  }
  for (const media of summary.media) media.codec = mediaCodec(media.formats, media.rtpmap);
  return summary;
}

/** The video sections of a summary, in order. */
export function videoMedia(summary: SdpSummary): SdpMedia[] {
  const video: SdpMedia[] = [];
  for (const m of summary.media) if (m.type.toLowerCase() === 'video') video.push(m);
  return video;
}

/**
 * Resolves an `a=control` value against the base URL (Content-Base, Content-Location or the request URL).
 *   base 'rtsp://h/s/',  'trackID=1'            → 'rtsp://h/s/trackID=1'
 *   base 'rtsp://h/s',   'track1'               → 'rtsp://h/s/track1'   (RTSP practice: base is a "directory")
 *   base 'rtsp://h/s/',  '*' or null            → 'rtsp://h/s/'
 *   any base,            'rtsp://h2/x/trackID=1' → 'rtsp://h2/x/trackID=1' (absolute, kept)
 *   base 'rtsp://h:554/s/', '/other/track1'     → 'rtsp://h:554/other/track1' (host-relative)
 */
export function resolveControl(base: string, control: string | null): string {
  if (!control || control === '*') return base;
  if (/^[a-z][a-z0-9+.-]*:/i.test(control)) return control;
  if (control.startsWith('/')) return `${/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i.exec(base)?.[0] ?? ''}${control}`;
  return base.endsWith('/') ? `${base}${control}` : `${base}/${control}`;
}
