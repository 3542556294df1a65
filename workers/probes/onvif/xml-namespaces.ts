/**
 * Namespaces of the ONVIF XML reader (xml.ts): the URIs the parsers match, the fallback bindings
 * for prefixes a device uses without declaring them, and prefix resolution during a parse.
 */

/** Namespace URIs used by the ONVIF parsers. Match elements by these, never by prefix. */
export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  tt: 'http://www.onvif.org/ver10/schema',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  ter: 'http://www.onvif.org/ver10/error',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

/**
 * Fallback bindings, consulted only for a prefix that is bound nowhere in scope.
 * An unknown unbound prefix resolves to `urn:x-unbound-prefix:<prefix>` (it then matches nothing).
 */
export const WELL_KNOWN_PREFIXES: Readonly<Record<string, string>> = {
  'SOAP-ENV': NS.soap12,
  env: NS.soap12,
  s: NS.soap12,
  soap: NS.soap12,
  soapenv: NS.soap12,
  'SOAP-ENC': 'http://www.w3.org/2003/05/soap-encoding',
  tt: NS.tt,
  tds: NS.tds,
  trt: NS.trt,
  tr2: NS.tr2,
  trt2: NS.tr2,
  ter: NS.ter,
  wsse: NS.wsse,
  wsu: NS.wsu,
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsa5: 'http://www.w3.org/2005/08/addressing',
  d: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
};

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * In-scope namespace declarations: the attribute objects of the open elements that declare any
 * (`xmlns`, `xmlns:p`), innermost last, and a cache of resolved prefixes that is valid until that
 * list changes (vendors declare everything on the root, so nearly every lookup is a cache hit).
 */
export interface Scopes {
  frames: Array<{ depth: number; attrs: Record<string, string> }>;
  cache: Map<string, string>;
}

/** URI of `prefix` in scope; an unbound one falls back to the well-known table, else to a private URN. */
export function uriOf(scopes: Scopes, prefix: string): string {
  const cached = scopes.cache.get(prefix);
  if (cached !== undefined) return cached;
  const key = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  let uri: string | undefined;
  for (let i = scopes.frames.length - 1; i >= 0 && uri === undefined; i--) uri = scopes.frames[i].attrs[key];
  if (uri === undefined) {
    uri = prefix === '' ? ''
      : prefix === 'xml' ? XML_NS
      : Object.hasOwn(WELL_KNOWN_PREFIXES, prefix) ? WELL_KNOWN_PREFIXES[prefix]
      : `urn:x-unbound-prefix:${prefix}`;
  }
  scopes.cache.set(prefix, uri);
  return uri;
}

/** Opens the scope of the element at `depth`, which declares namespaces (`xmlns`, `xmlns:p`) in `attributes`. */
export function enterScope(scopes: Scopes, depth: number, attributes: Record<string, string>): void {
  scopes.frames.push({ depth, attrs: attributes });
  scopes.cache.clear();
}

/** Closes the scope of the element at `depth`. */
export function leaveScope(scopes: Scopes, depth: number): void {
  const top = scopes.frames[scopes.frames.length - 1];
  if (top?.depth !== depth) return;
  scopes.frames.pop();
  scopes.cache.clear();
}
