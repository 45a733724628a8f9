// Text that other users choose (the names of their commands) made safe for a terminal: a process may call itself
// "\e]0;title\a\e[2J\nfake line". Control characters (C0, DEL, C1), the Unicode characters that reorder or break
// lines (bidi controls, line and paragraph separators) and the backslash are written as escapes, so that what is
// printed is what is there, and nothing moves the cursor, sets a title or starts a line of its own. ps(1) prints
// such characters as '?'; an escape says which one it was. JSON needs none of this: it escapes them itself.
const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '\\': '\\\\' };
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\\\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
