/**
 * A strict, non-validating XML scanner for the ONVIF reader (xml.ts): one pass over the string with
 * indexOf and sticky regular expressions, reporting start tags (with their raw attributes), end
 * tags and character data. It replaced saxes on the probe's hot path: vendors put 30–50 xmlns
 * declarations on every answer's root, and a character-by-character parser spent most of an ONVIF
 * check's CPU walking them.
 *
 * Well-formedness it enforces: one root element, matching end tags, quoted attribute values without
 * `<`, no duplicate attributes, names that are XML names, only whitespace outside the root, the XML
 * declaration only at the very start and in its own syntax, comments and PIs closed.
 * Safety: a DOCTYPE is refused outright (no DTD, so no XXE or entity expansion bombs); references
 * are only the five predefined entities and character references. The scanner is iterative, so
 * nesting costs no stack; xml.ts caps the depth.
 */

/** What the scanner reports; `open`'s attributes object may be shared between parses (frozen): read it, never write it. */
export interface ScanHandler {
  open(name: string, attributes: Record<string, string>): void;
  close(): void;
  text(data: string): void;
}

/** The input is not well-formed XML, or uses what a SOAP answer must not (a DOCTYPE). */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const NAME_START = 'A-Za-z_:\\u00C0-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME = `[${NAME_START}][${NAME_START}0-9.\\-\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`;
const START_NAME = new RegExp(NAME, 'y');
const ATTRIBUTE = new RegExp(`[ \\t\\r\\n]+(${NAME})[ \\t\\r\\n]*=[ \\t\\r\\n]*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const START_END = /[ \t\r\n]*(\/?)>/y;
const END_TAG = new RegExp(`</(${NAME})[ \\t\\r\\n]*>`, 'y');
const XML_DECLARATION = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/y;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
const REFERENCE = /&([^;&<]*)(;?)/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Expands the predefined entities and character references; anything else is an error. */
export function expandReferences(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(REFERENCE, (_, ref: string, semicolon: string) => {
    if (!semicolon) throw new XmlSyntaxError('unterminated reference');
    if (Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref];
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? parseInt(ref.slice(1), 10) : NaN;
    const digits = ref.startsWith('#x') ? /^#x[0-9A-Fa-f]+$/ : /^#[0-9]+$/;
    if (!digits.test(ref) || !isXmlChar(code)) {
      throw new XmlSyntaxError(ref.startsWith('#') ? `bad character reference &${ref};` : `undefined entity &${ref.slice(0, 40)};`);
    }
    return String.fromCodePoint(code);
  });
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Index just past `terminator` at or after `from`; throws naming `what` when it never comes. */
function past(xml: string, terminator: string, from: number, what: string): number {
  const at = xml.indexOf(terminator, from);
  if (at < 0) throw new XmlSyntaxError(`unclosed ${what}`);
  return at + terminator.length;
}

/** Scans a whole document, calling the handler in document order. */
export function scanXml(xml: string, handler: ScanHandler): void {
  const open: string[] = [];
  let rootSeen = false;
  let i = 0;
  if (xml.startsWith('<?xml') && /[ \t\r\n?]/.test(xml.charAt(5))) {
    XML_DECLARATION.lastIndex = 0;
    if (!XML_DECLARATION.test(xml)) throw new XmlSyntaxError('bad XML declaration');
    i = XML_DECLARATION.lastIndex;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const stop = lt < 0 ? xml.length : lt;
    if (stop > i) {
      const data = xml.slice(i, stop);
      if (open.length > 0) handler.text(expandReferences(data.indexOf('\r') < 0 ? data : data.replace(/\r\n?/g, '\n')));
      else if (!WHITESPACE_ONLY.test(data)) throw new XmlSyntaxError(rootSeen ? 'text after the root element' : 'text before the root element');
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      i = endTag(xml, lt, open);
      handler.close();
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) i = past(xml, '-->', lt + 4, 'comment');
      else if (xml.startsWith('<![CDATA[', lt)) {
        if (open.length === 0) throw new XmlSyntaxError('CDATA outside the root element');
        i = past(xml, ']]>', lt + 9, 'CDATA section');
        handler.text(xml.slice(lt + 9, i - 3));
      } else if (xml.startsWith('<!DOCTYPE', lt)) throw new XmlSyntaxError('DOCTYPE is not allowed in a SOAP message');
      else throw new XmlSyntaxError('bad markup declaration');
    } else if (next === 0x3f /* ? */) {
      START_NAME.lastIndex = lt + 2;
      const target = START_NAME.exec(xml)?.[0];
      if (!target || target.toLowerCase() === 'xml') throw new XmlSyntaxError('bad processing instruction');
      i = past(xml, '?>', lt + 2, 'processing instruction');
    } else {
      if (rootSeen && open.length === 0) throw new XmlSyntaxError('a second root element');
      i = startTag(xml, lt, open, handler);
      rootSeen = true;
    }
  }
  if (open.length > 0) throw new XmlSyntaxError(`unclosed element <${open[open.length - 1].slice(0, 60)}>`);
  if (!rootSeen) throw new XmlSyntaxError('no element');
}

/**
 * Reads the end tag at `lt` (it must close the innermost open element); returns the index after it.
 * The usual case, the expected name then `>` (or white space and `>`), is checked by comparison; any
 * other text goes through the full pattern, which names the problem.
 */
function endTag(xml: string, lt: number, open: string[]): number {
  const expected = open.length > 0 ? open[open.length - 1] : '';
  if (expected && xml.startsWith(expected, lt + 2)) {
    let at = lt + 2 + expected.length;
    let c = xml.charCodeAt(at);
    while (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) c = xml.charCodeAt(++at);
    if (c === 0x3e /* > */) {
      open.pop();
      return at + 1;
    }
  }
  END_TAG.lastIndex = lt;
  const m = END_TAG.exec(xml);
  if (!m) throw new XmlSyntaxError('bad end tag');
  if (open.pop() !== m[1]) throw new XmlSyntaxError(`end tag </${m[1].slice(0, 60)}> does not match the open element`);
  return END_TAG.lastIndex;
}

/**
 * Start tags already read, by their exact text up to the first `>`: a camera sends the same root
 * tag with its 30–50 namespace declarations in every answer, a fleet has few vendors, and the
 * short tags (`<tt:Hour>`) repeat in every answer — a lookup costs less than the patterns. Only
 * tags whose parse ended at that first `>` are kept (a quoted `>` makes the key ambiguous); the
 * attribute objects are frozen, as several parses share them (and so are their names: handlers may
 * key their own per-tag work on the attributes object).
 * A long tag is looked up by its length and tail and then compared whole: hashing a 2-KB root tag
 * for the map cost more than comparing it.
 */
interface KnownTag {
  text: string;
  name: string;
  attributes: Record<string, string>;
  empty: boolean;
}
const knownTags = new Map<string, KnownTag>();
const KNOWN_TAG_MAX_CHARS = 8192;
const LONG_TAG_CHARS = 128;
const LONG_TAG_TAIL = 48;
/** The attributes of every start tag without attributes (one shared, frozen object). */
export const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);
const KNOWN_TAGS_MAX = 512;

/** Reads the start tag at `lt`, reports it (and its end when empty); returns the index after it. */
function startTag(xml: string, lt: number, open: string[], handler: ScanHandler): number {
  const gt = xml.indexOf('>', lt);
  const text = gt > lt && gt - lt < KNOWN_TAG_MAX_CHARS ? xml.slice(lt, gt + 1) : undefined;
  const key = text !== undefined && text.length > LONG_TAG_CHARS ? `${text.length}:${xml.slice(gt + 1 - LONG_TAG_TAIL, gt + 1)}` : text;
  const known = key === undefined ? undefined : knownTags.get(key);
  let tag: Omit<KnownTag, 'text'> | undefined = known?.text === text ? known : undefined;
  let end = gt + 1;
  if (!tag) {
    const read = readStartTag(xml, lt);
    end = read.end;
    tag = read;
    if (key !== undefined && end === gt + 1) {
      if (knownTags.size >= KNOWN_TAGS_MAX) knownTags.clear();
      const kept = keepable(text!, read);
      knownTags.set(detached(key), kept);
      tag = kept;
    }
  }
  handler.open(tag.name, tag.attributes);
  if (tag.empty) handler.close();
  else open.push(tag.name);
  return end;
}

/**
 * A copy of `text` that does not keep the answer it was cut from alive: V8 keeps a substring as a
 * view into its parent string, so a cached tag would otherwise hold a whole answer (up to the
 * response cap) for as long as it stays in the cache.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** The tag read from `text` as the cache keeps it: detached strings, frozen attributes (shared by every parse that meets it). */
function keepable(text: string, tag: Omit<KnownTag, 'text'>): KnownTag {
  let attributes = NO_ATTRIBUTES;
  if (tag.attributes !== NO_ATTRIBUTES) {
    attributes = Object.create(null) as Record<string, string>;
    for (const name in tag.attributes) attributes[detached(name)] = detached(tag.attributes[name]);
    Object.freeze(attributes);
  }
  return { text: detached(text), name: detached(tag.name), attributes, empty: tag.empty };
}

function readStartTag(xml: string, lt: number): { name: string; attributes: Record<string, string>; empty: boolean; end: number } {
  START_NAME.lastIndex = lt + 1;
  const name = START_NAME.exec(xml)?.[0];
  if (!name) throw new XmlSyntaxError('bad start tag');
  // Most tags have no attributes: they share one frozen empty object instead of a dictionary each.
  let attributes: Record<string, string> = NO_ATTRIBUTES;
  let at = START_NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = at;
    const m = ATTRIBUTE.exec(xml);
    if (!m) break;
    if (attributes === NO_ATTRIBUTES) attributes = Object.create(null) as Record<string, string>;
    else if (m[1] in attributes) throw new XmlSyntaxError(`duplicate attribute ${m[1].slice(0, 60)}`);
    const raw = m[2] ?? m[3];
    // Attribute-value normalisation: each line end or tab becomes one space.
    attributes[m[1]] = expandReferences(raw.search(/[\t\n\r]/) < 0 ? raw : raw.replace(/\r\n?|[\t\n]/g, ' '));
    at = ATTRIBUTE.lastIndex;
  }
  START_END.lastIndex = at;
  const end = START_END.exec(xml);
  if (!end) throw new XmlSyntaxError(`bad start tag <${name.slice(0, 60)}>`);
  return { name, attributes, empty: end[1] === '/', end: START_END.lastIndex };
}
