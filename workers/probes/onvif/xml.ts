import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * A namespace-aware, deliberately small XML reader for SOAP answers from cameras.
 *
 * Safety: no DTD processing at all — a DOCTYPE (XXE, billion laughs) is refused, and only the five
 * predefined XML entities and character references are expanded. Nesting depth is capped so that
 * a hostile answer cannot blow the stack of the recursive helpers below.
 * Tolerance: no XML declaration, BOM, 4 KB of root xmlns declarations, and — only when a prefix is
 * not bound anywhere in scope — the well-known ONVIF/SOAP prefixes (`SOAP-ENV:` used undeclared).
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

/** One element: namespace URI, local name, attributes, child elements, and its own text (raw, untrimmed). */
export interface XmlElement {
  ns: string;
  local: string;
  /** Unqualified attributes by local name; qualified ones as `{uri}local`. xmlns declarations are left out. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data (text and CDATA) directly inside this element. */
  text: string;
}

/** The answer is not usable XML (malformed, DOCTYPE, not SOAP, missing element). Maps to failure kind 'protocol'. */
export class XmlProtocolError extends Error {
  readonly kind = 'protocol' as const;
  constructor(message: string) {
    super(message);
    this.name = 'XmlProtocolError';
  }
}

/** Deepest nesting accepted; real ONVIF answers stay under 20. */
export const MAX_DEPTH = 128;

/** Table binding for an unbound prefix; never for the default (empty) namespace. */
function fallbackPrefix(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  return Object.hasOwn(WELL_KNOWN_PREFIXES, prefix) ? WELL_KNOWN_PREFIXES[prefix] : `urn:x-unbound-prefix:${prefix}`;
}

function toElement(tag: SaxesTagNS): XmlElement {
  const attrs: Record<string, string> = {};
  for (const attr of Object.values(tag.attributes)) {
    if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
    attrs[attr.uri ? `{${attr.uri}}${attr.local}` : attr.local] = attr.value;
  }
  return { ns: tag.uri, local: tag.local, attrs, children: [], text: '' };
}

/**
 * Parses a whole document into an element tree and returns the root element.
 * @throws XmlProtocolError for anything not well-formed, a DOCTYPE, or nesting deeper than MAX_DEPTH.
 */
export function parseXml(input: string | Uint8Array): XmlElement {
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parser = new SaxesParser({
    xmlns: true,
    position: false,
    resolvePrefix: fallbackPrefix,
  });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('doctype', () => {
    throw new XmlProtocolError('DOCTYPE is not allowed in a SOAP message');
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw new XmlProtocolError(`XML nested deeper than ${MAX_DEPTH} levels`);
    const element = toElement(tag);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (data: string) => {
    const current = stack[stack.length - 1];
    if (current) current.text += data;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof XmlProtocolError) throw err;
    throw new XmlProtocolError(`malformed XML: ${(err as Error).message.slice(0, 200)}`);
  }
  if (!root) throw new XmlProtocolError('no XML element in the answer');
  return root;
}

/** First direct child `{ns}local`. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.local === local);
}

/** Every direct child `{ns}local`. */
export function childrenOf(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.ns === ns && c.local === local) : [];
}

/** First element `{ns}local` at or below `el`, depth first. */
export function find(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  if (!el) return undefined;
  if (el.ns === ns && el.local === local) return el;
  for (const c of el.children) {
    const hit = find(c, ns, local);
    if (hit) return hit;
  }
  return undefined;
}

/** Trimmed text of the element found by following `{ns}local` children, or null when absent. */
export function textAt(el: XmlElement | undefined, ...path: Array<[string, string]>): string | null {
  let current = el;
  for (const [ns, local] of path) current = child(current, ns, local);
  return current ? current.text.trim() : null;
}
