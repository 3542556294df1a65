const WHITESPACE = /\s/;

/**
 * Whether a character code is white space as `\s` and String.prototype.trim define it, without a
 * regular expression for ASCII (what camera headers and session descriptions are made of).
 */
export function isSpace(c: number): boolean {
  return c < 0x80 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) : WHITESPACE.test(String.fromCharCode(c));
}
