import { detached, NO_ATTRIBUTES as NO_SCANNED_ATTRIBUTES, scanXml, XmlSyntaxError } from './xml-scanner.js';
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
 * Speed: the scanner (xml-scanner.ts) reports raw names and attributes; prefixes are resolved here,
 * only for the names used, with a cache per scope (vendors send 30–50 root declarations).
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

/** Shared by every element without attributes of its own (most of them); never written to. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** What a start tag's attributes hold apart from their values: namespace declarations, and the other names. */
interface AttributeNames {
  declares: boolean;
  plain: string[];
}

/**
 * Per attributes object, computed once: the scanner hands the same frozen object for every repeat
 * of a tag, and walking a root's 30–50 declarations on every answer (twice) cost more than the
 * rest of the element.
 */
const attributeNames = new WeakMap<Record<string, string>, AttributeNames>();
const NO_NAMES: AttributeNames = { declares: false, plain: [] };

function namesOf(attributes: Record<string, string>): AttributeNames {
  if (attributes === NO_SCANNED_ATTRIBUTES) return NO_NAMES;
  let names = attributeNames.get(attributes);
  if (!names) {
    names = { declares: false, plain: [] };
    for (const key in attributes) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) names.declares = true;
      else names.plain.push(key);
    }
    attributeNames.set(attributes, names);
  }
  return names;
}

/** `p:local` → ['p', 'local'], `local` → ['', 'local']; element names repeat, so the split is kept. */
const splitNames = new Map<string, [prefix: string, local: string]>();
const SPLIT_NAMES_MAX = 1024;

function splitName(name: string): [prefix: string, local: string] {
  let split = splitNames.get(name);
  if (!split) {
    const colon = name.indexOf(':');
    const kept = detached(name);
    split = colon < 0 ? ['', kept] : [kept.slice(0, colon), kept.slice(colon + 1)];
    if (splitNames.size >= SPLIT_NAMES_MAX) splitNames.clear();
    splitNames.set(kept, split);
  }
  return split;
}

function toElement(name: string, attributes: Record<string, string>, plain: string[], scope: Scopes): XmlElement {
  let attrs = NO_ATTRIBUTES;
  for (const key of plain) {
    if (attrs === NO_ATTRIBUTES) attrs = {};
    const [prefix, local] = splitName(key);
    // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
    attrs[prefix === '' ? key : `{${uriOf(scope, prefix)}}${local}`] = attributes[key];
  }
  const [prefix, local] = splitName(name);
  return { ns: uriOf(scope, prefix), local, attrs, children: [], text: '' };
}

const utf8 = new TextDecoder('utf-8');

/** An answer's bytes as the text parseXml reads (UTF-8; a malformed sequence becomes U+FFFD). */
export function xmlText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * Parses a whole document into an element tree and returns the root element.
 * @throws XmlProtocolError for anything not well-formed, a DOCTYPE, or nesting deeper than MAX_DEPTH.
 */
export function parseXml(input: string | Uint8Array): XmlElement {
  let text = typeof input === 'string' ? input : xmlText(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const tree = new TreeBuilder();
  try {
    scanXml(text, tree);
  } catch (err) {
    if (err instanceof XmlProtocolError) throw err;
    if (err instanceof XmlSyntaxError) throw new XmlProtocolError(/DOCTYPE/.test(err.message) ? err.message : `malformed XML: ${err.message}`);
    throw err;
  }
  if (!tree.root) throw new XmlProtocolError('no XML element in the answer');
  return tree.root;
}

/**
 * Builds the element tree from the scanner's events. A class, not an object literal made per parse:
 * V8 drops the optimised code of per-call closures at every full GC (re-optimised every few seconds).
 */
class TreeBuilder {
  root: XmlElement | undefined;
  private readonly stack: XmlElement[] = [];
  private readonly scopes: Scopes = { frames: [], cache: new Map() };

  open(name: string, attributes: Record<string, string>): void {
    const { stack, scopes } = this;
    if (stack.length >= MAX_DEPTH) throw new XmlProtocolError(`XML nested deeper than ${MAX_DEPTH} levels`);
    const names = namesOf(attributes);
    if (names.declares) enterScope(scopes, stack.length, attributes);
    const element = toElement(name, attributes, names.plain, scopes);
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else this.root = element;
    stack.push(element);
  }

  close(): void {
    this.stack.pop();
    leaveScope(this.scopes, this.stack.length);
  }

  text(data: string): void {
    this.stack[this.stack.length - 1].text += data;
  }
}

/** First direct child `{ns}local`. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  if (el) for (const c of el.children) if (c.ns === ns && c.local === local) return c;
  return undefined;
}

/** Every direct child `{ns}local`. */
export function childrenOf(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  if (el) for (const c of el.children) if (c.ns === ns && c.local === local) found.push(c);
  return found;
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
