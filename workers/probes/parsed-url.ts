/**
 * WHATWG URL parsing, once per URL text. A round parsed its camera's URLs three times (fairness
 * key, RTSP endpoint, ONVIF service) — each parse more CPU than a probe step's own header parsing —
 * and a fleet's URLs are the same every cycle. Bounded; the URL objects are shared, never mutate one.
 */
const parsed = new Map<string, URL | null>();
const PARSED_MAX = 50_000;

/** The URL `text` denotes, or null when it is not a URL. Read it, never write to it. */
export function parsedUrl(text: string): Readonly<URL> | null {
  let url = parsed.get(text);
  if (url === undefined) {
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, url);
  }
  return url;
}
