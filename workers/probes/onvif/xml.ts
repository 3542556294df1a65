import { SaxesParser } from 'saxes';
import { enterScope, leaveScope, uriOf, type Scopes } from './xml-namespaces.js';

export { NS, WELL_KNOWN_PREFIXES } from './xml-namespaces.js';

/**
 * A namespace-aware, deliberately small XML reader for SOAP answers from cameras.
 *
 * Safety: no DTD processing at all — a DOCTYPE (XXE, billion laughs) is refused, and only the five
 * predefined XML entities and character references are expanded. Nesting depth is capped so that
 * a hostile answer cannot blow the stack of the recursive helpers below.
 * Tolerance: no XML declaration, BOM, 4 KB of root xmlns declarations, and — only when a prefix is
 * not bound anywhere in scope — the well-known ONVIF/SOAP prefixes (`SOAP-ENV:` used undeclared).
 * Speed: saxes runs without its namespace layer (it resolved every attribute of the 30–50 root
 * declarations vendors send, on every answer); prefixes are resolved here, only for the names used.
 */

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

function toElement(name: string, attributes: Record<string, string>, scope: Scopes): XmlElement {
  const attrs: Record<string, string> = {};
  for (const key in attributes) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const colon = key.indexOf(':');
    // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
    attrs[colon < 0 ? key : `{${uriOf(scope, key.slice(0, colon))}}${key.slice(colon + 1)}`] = attributes[key];
  }
  const colon = name.indexOf(':');
  const ns = uriOf(scope, colon < 0 ? '' : name.slice(0, colon));
  return { ns, local: colon < 0 ? name : name.slice(colon + 1), attrs, children: [], text: '' };
}

/** The state of the parse under way; parseXml is synchronous, so one parser and one state serve every call. */
const state = { stack: [] as XmlElement[], scopes: { frames: [], cache: new Map() } as Scopes, root: null as XmlElement | null };
const utf8 = new TextDecoder('utf-8');
let parser: SaxesParser<{ xmlns: false; position: false }> | undefined;

/**
 * A plain (non-namespace) saxes parser; prefixes are resolved above. Saxes resets itself after a
 * complete document, so it is reused; after a failure the next parse gets a fresh one.
 */
function createParser(): SaxesParser<{ xmlns: false; position: false }> {
  const sax = new SaxesParser({ xmlns: false, position: false });
  sax.on('doctype', () => {
    throw new XmlProtocolError('DOCTYPE is not allowed in a SOAP message');
  });
  sax.on('opentag', (tag) => {
    const { stack, scopes } = state;
    if (stack.length >= MAX_DEPTH) throw new XmlProtocolError(`XML nested deeper than ${MAX_DEPTH} levels`);
    enterScope(scopes, stack.length, tag.attributes);
    const element = toElement(tag.name, tag.attributes, scopes);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else state.root = element;
    stack.push(element);
  });
  sax.on('closetag', () => {
    state.stack.pop();
    leaveScope(state.scopes, state.stack.length);
  });
  const addText = (data: string) => {
    const current = state.stack[state.stack.length - 1];
    if (current) current.text += data;
  };
  sax.on('text', addText);
  sax.on('cdata', addText);
  return sax;
}

/**
 * Parses a whole document into an element tree and returns the root element.
 * @throws XmlProtocolError for anything not well-formed, a DOCTYPE, or nesting deeper than MAX_DEPTH.
 */
export function parseXml(input: string | Uint8Array): XmlElement {
  let text = typeof input === 'string' ? input : utf8.decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  state.stack = [];
  state.scopes = { frames: [], cache: new Map() };
  state.root = null;
  const sax = (parser ??= createParser());
  try {
    sax.write(text).close();
  } catch (err) {
    parser = undefined;
    if (err instanceof XmlProtocolError) throw err;
    throw new XmlProtocolError(`malformed XML: ${(err as Error).message.slice(0, 200)}`);
  } finally {
    state.stack = [];
    state.scopes = { frames: [], cache: new Map() };
  }
  const root = state.root as XmlElement | null;
  state.root = null;
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
