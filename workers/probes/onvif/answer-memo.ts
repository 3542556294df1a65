import { hash } from 'node:crypto';
import { detached } from './xml-scanner.js';
import { parseXml, XmlProtocolError, type XmlElement } from './xml.js';

/**
 * Remembers what a liveness answer said, so that the same answer next round is not parsed again.
 *
 * A camera answers GetDeviceInformation with the same bytes every round, and GetSystemDateAndTime
 * with the same bytes but for the numbers of its clock. The XML parse of those two answers was a
 * sixth of an ONVIF check's CPU. So an answer is reduced to its *skeleton*: the text with every
 * element text that is only digits (`<tt:Hour>7</tt:Hour>`) replaced by a NUL — which no XML
 * document may contain — and those digit runs kept in order. The same skeleton means the same
 * document structure, namespaces and every other text, only those numbers may differ.
 *
 * For each reader (a function from the parsed root to a record of texts) and skeleton, once seen
 * twice, the memo keeps where each field's text comes from: a fixed text, or "digit run number i".
 * It learns that by parsing the skeleton with a marker character in place of each run (private-use
 * U+E000 + i) and reading the fields: a field that reads exactly one marker is that run, one
 * without markers is fixed, anything else (a run mixed with other text) makes the skeleton one the
 * memo does not keep. Every field it keeps is checked against the real parse of the same answer.
 *
 * Not kept (always parsed): answers holding NUL or private-use characters (they could fake the
 * placeholders), answers that are faults or fail to read (only successful readings are learned),
 * and skeletons seen once only (a vendor whose answers change in other places costs one lookup).
 */

/** A named function from the parsed answer to the texts the probe needs (same fields every time). */
export interface AnswerReader<T extends Record<string, string | null>> {
  name: string;
  read(root: XmlElement): T;
}

/**
 * A learned skeleton: the reading's field names (one array per reader, shared by its entries) and,
 * per field, where its text comes from — a fixed text (null = absent) or the index of a digit run.
 * Kept small: a fleet of 10,000 cameras holds 10,000 identity entries.
 */
type Entry = { runs: number; fields: readonly string[]; sources: Array<string | number | null> } | 'seen' | 'unusable';

/** What recall computed, handed to learn after a full parse. */
export interface Sighting {
  key: string;
  runs: string[];
}

const PLACEHOLDER_LIKE = /[\u0000\uE000-\uF8FF]/;
/** Longest digit run treated as a number (longer ones stay in the skeleton). */
const MAX_DIGITS = 9;
const MARKER = 0xe000;
const MAX_RUNS = 0xf8ff - MARKER;
/** Room for ~50,000 cameras per worker (one identity entry each, a few clock skeletons per vendor); cleared when full. */
const MAX_ENTRIES = 50_000;

const entries = new Map<string, Entry>();
/** Field-name arrays by their joined names, and fixed texts (vendor, model, firmware repeat across a fleet), shared by entries. */
const fieldLists = new Map<string, readonly string[]>();
const fixedTexts = new Map<string, string>();
const MAX_SHARED = 4096;

// Module functions, not closures made per call: V8 drops the optimised code of per-call closures at every full GC.
function sharedFields(names: string[]): readonly string[] {
  const key = names.join('\n');
  let fields = fieldLists.get(key);
  if (fields === undefined) {
    fields = names.map(detached);
    if (fieldLists.size < MAX_SHARED) fieldLists.set(detached(key), fields);
  }
  return fields;
}

function sharedText(value: string): string {
  let text = fixedTexts.get(value);
  if (text === undefined) {
    text = detached(value);
    if (fixedTexts.size < MAX_SHARED) fixedTexts.set(text, text);
  }
  return text;
}

const nulPlaceholder = () => '\u0000';
const markerPlaceholder = (run: number) => String.fromCharCode(MARKER + run);

function remember(key: string, entry: Entry): void {
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, entry);
}

/**
 * The reader's texts for `text` when its skeleton is known, else what `learn` needs after the
 * caller parsed it (null when the answer cannot be memoised at all).
 */
export function recall<T extends Record<string, string | null>>(reader: AnswerReader<T>, text: string): { texts: T } | { sighting: Sighting | null } {
  // A NUL would collide with the placeholder; private-use characters are refused when learning.
  if (text.indexOf('\u0000') >= 0) return { sighting: null };
  const { skeleton, runs } = skeletonOf(text, nulPlaceholder);
  if (runs.length > MAX_RUNS) return { sighting: null };
  const key = `${reader.name}:${hash('sha1', skeleton, 'base64')}`;
  const entry = entries.get(key);
  if (typeof entry !== 'object' || entry.runs !== runs.length) return { sighting: { key, runs } };
  const texts: Record<string, string | null> = {};
  const { fields, sources } = entry;
  for (let f = 0; f < fields.length; f++) {
    const source = sources[f];
    texts[fields[f]] = typeof source === 'number' ? runs[source] : source;
  }
  return { texts: texts as T };
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * `text` with each element text of digits only (`>7<`, `> 12 <`; white space kept) replaced by
 * `placeholder(i)`, and those digit runs in order. A loop over the `>`s: a regular expression with a
 * replacer function cost more than the parse it saves a part of.
 */
function skeletonOf(text: string, placeholder: (run: number) => string): { skeleton: string; runs: string[] } {
  const runs: string[] = [];
  let skeleton = '';
  let from = 0;
  for (let gt = text.indexOf('>'); gt >= 0; gt = text.indexOf('>', gt + 1)) {
    let start = gt + 1;
    let c = text.charCodeAt(start);
    while (isSpace(c)) c = text.charCodeAt(++start);
    let end = start;
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++end);
    if (end === start || end - start > MAX_DIGITS) continue;
    let after = end;
    while (isSpace(c)) c = text.charCodeAt(++after);
    if (c !== 0x3c /* < */) continue;
    skeleton += text.slice(from, start) + placeholder(runs.length);
    runs.push(text.slice(start, end));
    from = end;
    gt = after;
  }
  return { skeleton: skeleton + text.slice(from), runs };
}

/** After a full parse whose reading `read` succeeded: notes the skeleton, and on its second sighting learns it. */
export function learn<T extends Record<string, string | null>>(reader: AnswerReader<T>, text: string, sighting: Sighting, read: T): void {
  const entry = entries.get(sighting.key);
  if (entry === undefined) return remember(sighting.key, 'seen');
  if (entry !== 'seen') return;
  remember(sighting.key, sourcesOf(reader, text, sighting.runs, read) ?? 'unusable');
}

/** Field sources learned from the marked skeleton, or null when some field mixes a run with other text. */
function sourcesOf<T extends Record<string, string | null>>(reader: AnswerReader<T>, text: string, runs: string[], read: T): Entry | null {
  if (PLACEHOLDER_LIKE.test(text)) return null;
  const marked = skeletonOf(text, markerPlaceholder).skeleton;
  let template: T;
  try {
    template = reader.read(parseXml(marked));
  } catch (err) {
    if (err instanceof XmlProtocolError) return null;
    throw err;
  }
  const names = Object.keys(read);
  const fields = sharedFields(names);
  const sources: Array<string | number | null> = [];
  for (const field of fields) {
    const value = template[field];
    const run = value !== null && value.length === 1 ? value.charCodeAt(0) - MARKER : -1;
    if (run >= 0 && run < runs.length) {
      if (read[field] !== runs[run]) return null;
      sources.push(run);
    } else {
      if (value !== null && PLACEHOLDER_LIKE.test(value)) return null;
      if (value !== read[field]) return null;
      // Copies: a slice of the marked text would keep all of it alive for as long as the entry lives.
      sources.push(value === null ? null : sharedText(value));
    }
  }
  return { runs: runs.length, fields, sources };
}

/** Forgets every skeleton (tests). */
export function clearAnswerMemo(): void {
  entries.clear();
  fieldLists.clear();
  fixedTexts.clear();
}
