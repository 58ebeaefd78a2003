import { quote } from "../problems";

/** A problem with the file's layout, at the line (and column) where it starts. */
export interface LayoutProblem {
    kind: "mixed-endings" | "unclosed-quote" | "text-after-quote";
    line: number;
    column: number;
    message: string;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const ENDINGS = { "\r\n": "CRLF", "\n": "LF", "\r": "CR" } as const;
type Ending = keyof typeof ENDINGS;

export const QUOTE_FIX = 'close the quote where the cell ends, and write a double quote inside a cell as ""';

/**
 * One pass over a CSV file's bytes with csv-parse's quoting rules (a quote opens a cell only
 * at its start, blanks allowed before it; `""` inside is a quote; a quote in an unquoted cell
 * is text) to find what csv-parse cannot say well:
 * - mixed line endings: csv-parse takes the first line's ending as the row separator and reads
 *   any other ending as text, so a CRLF file edited to LF joins rows silently. Endings inside a
 *   quoted cell are text (Excel writes LF there in CRLF files) and do not count.
 * - a broken quoted cell, at the line where its quote opens: csv-parse only says where the
 *   file ends (never closed) or where the cell ends (text after the closing quote).
 * Bytes, not characters: every byte we look at is ASCII, and UTF-8 never reuses those.
 */
export function scanLayout(buf: Buffer, delimiter: string, firstLine: number): { problem?: LayoutProblem } {
    const delim = delimiter.charCodeAt(0);
    let line = firstLine;
    let lineStart = 0;
    let first: Ending | undefined;
    let fieldStart = true;
    let quoted = false;
    let closed = false;
    let open = { line: 0, lineStart: 0, offset: 0 };
    const n = buf.length;
    for (let i = 0; i < n; i++) {
        const c = buf[i];
        if (quoted) {
            if (c === QUOTE) {
                if (buf[i + 1] === QUOTE) i++;
                else {
                    quoted = false;
                    closed = true;
                }
            } else if (c === LF || (c === CR && buf[i + 1] !== LF)) {
                line++;
                lineStart = i + 1;
            }
            continue;
        }
        if (c === LF || c === CR) {
            const ending: Ending = c === LF ? "\n" : buf[i + 1] === LF ? "\r\n" : "\r";
            first ??= ending;
            if (ending !== first) return { problem: mixedEndings(buf, line, lineStart, i, ending, first) };
            if (ending === "\r\n") i++;
            line++;
            lineStart = i + 1;
            fieldStart = true;
            closed = false;
        } else if (c === delim) {
            fieldStart = true;
            closed = false;
        } else if (c === SPACE || c === TAB) {
            // Blanks around a cell are trimmed: they neither start nor end it.
        } else if (closed) {
            return { problem: textAfterQuote(buf, open, line) };
        } else if (fieldStart) {
            fieldStart = false;
            if (c === QUOTE) {
                quoted = true;
                open = { line, lineStart, offset: i };
            }
        }
    }
    if (quoted) {
        return {
            problem: {
                kind: "unclosed-quote",
                ...at(buf, open),
                message: `the quoted cell that opens here is never closed (got ${quote(restOfLine(buf, open.offset))}); ${QUOTE_FIX}`,
            },
        };
    }
    return {};
}

function mixedEndings(buf: Buffer, line: number, lineStart: number, offset: number, ending: Ending, first: Ending): LayoutProblem {
    return {
        kind: "mixed-endings",
        ...at(buf, { line, lineStart, offset }),
        message:
            `the line ends in ${ENDINGS[ending]} where the lines before it end in ${ENDINGS[first]} (got ${JSON.stringify(ending)}); ` +
            "mixed line endings join rows, save the file with one kind of line ending (all CRLF or all LF)",
    };
}

function textAfterQuote(buf: Buffer, open: { line: number; lineStart: number; offset: number }, line: number): LayoutProblem {
    const got = quote(restOfLine(buf, open.offset));
    const what =
        open.line === line
            ? `text follows the closing quote of the quoted cell that opens here (got ${got})`
            : `the quoted cell that opens here runs to line ${line}, where text follows its closing quote (got ${got})`;
    return { kind: "text-after-quote", ...at(buf, open), message: `${what}; ${QUOTE_FIX}` };
}

/** Line and column (in characters) of a byte offset. */
function at(buf: Buffer, p: { line: number; lineStart: number; offset: number }): { line: number; column: number } {
    return { line: p.line, column: buf.toString("utf8", p.lineStart, p.offset).length + 1 };
}

function restOfLine(buf: Buffer, offset: number): string {
    let end = offset;
    while (end < buf.length && buf[end] !== LF && buf[end] !== CR) end++;
    return buf.toString("utf8", offset, end);
}
