/**
 * What the RTSP and HTTP answer readers share: recognising the protocol from the first bytes and
 * finding the blank line that ends a head, and cutting a head into lines.
 */

/** Whether `buf` starts with `prefix`, or with as much of it as has arrived so far. */
export function startsLike(buf: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buf.length, prefix.length);
  return buf.compare(prefix, 0, n, 0, n) === 0;
}

/** Index and length of the blank line ending the head (CRLFCRLF, or bare LFLF from sloppy servers). */
export function findHeadEnd(buf: Buffer): { index: number; length: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  // An earlier LFLF can only lie before the CRLFCRLF: searching the whole buffer for '\n\n' (a body of
  // pretty-printed XML or SDP) cost more than parsing the head.
  const lf = (crlf < 0 ? buf : buf.subarray(0, crlf)).indexOf('\n\n');
  if (crlf < 0 && lf < 0) return null;
  if (lf >= 0) return { index: lf, length: 2 };
  return { index: crlf, length: 4 };
}

/** The line of `text` from `from` to the line feed at `nl`, without a carriage return before it (as split(/\r?\n/) cuts it). */
export function lineBefore(text: string, from: number, nl: number): string {
  return text.slice(from, nl > from && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
}
