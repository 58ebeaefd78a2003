/**
 * Characters a reader cannot see: zero-width characters, bidirectional controls,
 * control characters and line separators. Inside an address they make a second identity that
 * looks like the first; inside a name or message they can reorder what is shown or fake a
 * line of output. Found, named by code point, and shown escaped so the message itself is
 * readable.
 */

/** Nothing invisible in an address. Tab, LF and CR are white space, which checkEmail reports as such. */
export const UNSEEN_IN_ADDRESS = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;

/**
 * One line of text (a display name): no control characters, no line or paragraph separators,
 * no bidirectional embeddings, overrides or isolates. Joiners and direction marks stay: Persian,
 * Hebrew, Arabic and emoji sequences need them, and they cannot reorder or break a line.
 */
export const UNSEEN_IN_LINE = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** Text over several lines (an invitation message): as a line, but tab, LF and CR are allowed. */
export const UNSEEN_IN_TEXT = /(?![\t\n\r])[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

// The Unicode names (C0 by their ISO 6429 names, as the standard's aliases give them).
const C0 = [
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE", "BELL",
    "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK",
    "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
];
const NAMES: Record<number, string> = {
    0x7f: "DELETE",
    0x85: "NEXT LINE",
    0x9b: "CONTROL SEQUENCE INTRODUCER",
    0xad: "SOFT HYPHEN",
    0x34f: "COMBINING GRAPHEME JOINER",
    0x61c: "ARABIC LETTER MARK",
    0x180e: "MONGOLIAN VOWEL SEPARATOR",
    0x200b: "ZERO WIDTH SPACE",
    0x200c: "ZERO WIDTH NON-JOINER",
    0x200d: "ZERO WIDTH JOINER",
    0x200e: "LEFT-TO-RIGHT MARK",
    0x200f: "RIGHT-TO-LEFT MARK",
    0x2028: "LINE SEPARATOR",
    0x2029: "PARAGRAPH SEPARATOR",
    0x202a: "LEFT-TO-RIGHT EMBEDDING",
    0x202b: "RIGHT-TO-LEFT EMBEDDING",
    0x202c: "POP DIRECTIONAL FORMATTING",
    0x202d: "LEFT-TO-RIGHT OVERRIDE",
    0x202e: "RIGHT-TO-LEFT OVERRIDE",
    0x2060: "WORD JOINER",
    0x2061: "FUNCTION APPLICATION",
    0x2062: "INVISIBLE TIMES",
    0x2063: "INVISIBLE SEPARATOR",
    0x2064: "INVISIBLE PLUS",
    0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE",
    0x2068: "FIRST STRONG ISOLATE",
    0x2069: "POP DIRECTIONAL ISOLATE",
    0x3164: "HANGUL FILLER",
    0xfeff: "ZERO WIDTH NO-BREAK SPACE",
};

/** "U+200B ZERO WIDTH SPACE"; a character without a name here says what kind it is. */
export function describeCodePoint(cp: number): string {
    const hex = cp.toString(16).toUpperCase().padStart(4, "0");
    const name = cp < 0x20 ? C0[cp] : NAMES[cp];
    if (name) return `U+${hex} ${name}`;
    const c = String.fromCodePoint(cp);
    const kind = /\p{Cc}/u.test(c) ? "a control character" : /\p{Cf}/u.test(c) ? "an invisible format character" : "an invisible character";
    return `U+${hex} (${kind})`;
}

/** The first character of `text` that `pattern` finds, described, at its 1-based position in characters. */
export function firstUnseen(text: string, pattern: RegExp): { name: string; position: number } | undefined {
    const m = pattern.exec(text);
    if (!m) return undefined;
    return { name: describeCodePoint(m[0].codePointAt(0)!), position: [...text.slice(0, m.index)].length + 1 };
}

// Escaped when shown: everything above, and spaces that look like " " but are not.
const ESCAPED = /["\\]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;
const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * A value quoted for a message like `quote` (JSON-style, shortened past 80 characters), with
 * every invisible character written as \uXXXX, so the message shows what the cell holds.
 */
export function shown(text: string): string {
    const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    return `"${short.replace(ESCAPED, (c) => SHORT[c] ?? escapeCodePoint(c.codePointAt(0)!))}"`;
}

function escapeCodePoint(cp: number): string {
    const hex = cp.toString(16).toUpperCase();
    return cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, "0")}`;
}

/**
 * The first character of `text` outside ASCII, for a message: `"é" (U+00E9)` (a combining mark
 * alone: `U+0307 (a combining mark)`), its 1-based position in characters and its index.
 */
export function firstNonAscii(text: string): { name: string; position: number; index: number } | undefined {
    const m = /[^\x00-\x7f]/u.exec(text);
    if (!m) return undefined;
    const cp = m[0].codePointAt(0)!;
    const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    const name = /\p{M}/u.test(m[0]) ? `${hex} (a combining mark)` : `"${m[0]}" (${hex})`;
    return { name, position: [...text.slice(0, m.index)].length + 1, index: m.index };
}
