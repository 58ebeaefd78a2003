import { parse } from "csv-parse/sync";
import { scanLayout } from "./csv-layout";

/** Where a cell starts: 1-based line and column. */
export interface CellPosition {
    line: number;
    column: number;
}

/** One CSV record: its values, and where it and its cells are written. */
export class CsvRecord {
    private starts: CellPosition[] | undefined;

    constructor(
        readonly values: string[],
        /** The line the record starts on. */
        readonly line: number,
        /** The record as written, for positions (only computed when a message needs one). */
        private readonly raw: string,
        private readonly delimiter: string,
    ) {}

    /** Where cell `index` starts; the record's start for a cell the row does not have. */
    position(index: number): CellPosition {
        this.starts ??= cellStarts(this.raw, this.delimiter, this.line);
        return this.starts[index] ?? this.starts[0];
    }

    /** The record as written, without its line ending, for messages. */
    get text(): string {
        return this.raw.replace(/(\r\n|\r|\n)$/, "");
    }
}

/** A layout error that still lets the rows be read (mixed line endings), reported with their errors. */
export interface LayoutError {
    line: number;
    column?: number;
    message: string;
}

export type CsvRead = { ok: true; delimiter: string; records: CsvRecord[]; layoutError?: LayoutError } | ({ ok: false } & LayoutError);

const DELIMITERS = [",", ";", "\t"];

/**
 * Reads CSV text into records. csv-parse does the parsing; we add positions, which it does
 * not report per cell. Blank records (including Excel's ",,,," leftovers) are dropped; cells
 * are trimmed. csv-parse's `info` option would give each record's line, but it allocates two
 * objects per record and triples the parse time, so lines are counted from `raw` instead.
 * Before parsing, one pass over the bytes refuses mixed line endings (csv-parse would join the
 * rows that end differently from the first) and finds where a broken quoted cell opens
 * (csv-parse reports where the file ends).
 */
export function readCsvRecords(utf8: Buffer): CsvRead {
    // Excel's "sep=;" first line names the delimiter; it is not a row.
    const sep = sepLine(utf8);
    const body = sep ? utf8.subarray(sep.length) : utf8;
    const firstLine = sep ? 2 : 1;
    const delimiter = sep ? sep.delimiter : detectDelimiter(body.toString("utf8", 0, 64 * 1024));
    const layout = scanLayout(body, delimiter, firstLine);
    const located = layout.problem && { ok: false as const, line: layout.problem.line, column: layout.problem.column, message: layout.problem.message };
    // Mixed line endings are an error, but with every ending taken as one the rows are still
    // read right, so their own errors come out in the same run (all errors at once).
    const mixed = layout.problem?.kind === "mixed-endings" ? located : undefined;
    let parsed: { record: string[]; raw: string }[];
    try {
        parsed = parse(body, {
            delimiter,
            ...(mixed ? { record_delimiter: ["\r\n", "\n", "\r"] } : {}),
            raw: true,
            trim: true,
            relax_column_count: true,
            relax_quotes: true,
            skip_empty_lines: false,
        }) as unknown as typeof parsed;
    } catch (err) {
        // Our scan follows csv-parse's quoting rules; should they ever disagree, say what csv-parse said.
        if (located) return located;
        const e = err as { lines?: number; message?: string };
        return {
            ok: false,
            line: (e.lines ?? 1) + firstLine - 1,
            message: `the file is not valid CSV (got ${JSON.stringify(e.message ?? String(err))}); check that every opening double quote has its closing one`,
        };
    }
    const records: CsvRecord[] = [];
    let line = firstLine;
    for (const { record, raw } of parsed) {
        if (record.some((v) => v !== "")) records.push(new CsvRecord(record, line, raw, delimiter));
        line += newlines(raw);
    }
    if (mixed) {
        const { line, column, message } = mixed;
        return { ok: true, delimiter, records, layoutError: { line, column, message } };
    }
    return { ok: true, delimiter, records };
}

/** Excel's "sep=;" first line: the delimiter it names, and its length with its line ending. */
function sepLine(utf8: Buffer): { delimiter: string; length: number } | undefined {
    if (utf8.length < 5 || utf8.toString("latin1", 0, 4).toLowerCase() !== "sep=") return undefined;
    let end = 4;
    while (end < utf8.length && end < 256 && utf8[end] !== 10 && utf8[end] !== 13) end++;
    // The named character, repeated by a spreadsheet's padding ("sep=,,,"), then spaces.
    const m = /^sep=([^" \r\n])\1*[ \t]*$/i.exec(utf8.toString("utf8", 0, end));
    if (!m) return undefined;
    const ending = utf8[end] === 13 && utf8[end + 1] === 10 ? 2 : end < utf8.length ? 1 : 0;
    return { delimiter: m[1], length: end + ending };
}

/**
 * Line breaks in a record's raw text, its own included. csv-parse's `raw` ends with the "\n"
 * of an LF record but stops at the "\r" of a CRLF one: a trailing "\r" is a line break too.
 */
function newlines(raw: string): number {
    let n = 0;
    for (let i = raw.indexOf("\n"); i !== -1; i = raw.indexOf("\n", i + 1)) n++;
    if (raw.endsWith("\r")) n++;
    return n;
}

/** The delimiter that splits the header row most: ",", ";" (European Excel) or tab. `text`: the file's start. */
export function detectDelimiter(text: string): string {
    const rows = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !/^\s*"?version:/i.test(l));
    const header = rows[0] ?? "";
    let best = ",";
    let bestCount = 0;
    for (const d of DELIMITERS) {
        const count = countOutsideQuotes(header, d);
        if (count > bestCount) {
            best = d;
            bestCount = count;
        }
    }
    return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
    let quoted = false;
    let count = 0;
    for (const c of line) {
        if (c === '"') quoted = !quoted;
        else if (c === delimiter && !quoted) count++;
    }
    return count;
}

/** Positions of the first non-blank character of each cell of one raw record. */
function cellStarts(raw: string, delimiter: string, firstLine: number): CellPosition[] {
    const starts: CellPosition[] = [];
    let line = firstLine;
    let lineStart = 0;
    let quoted = false;
    const push = (from: number) => {
        let i = from;
        while (i < raw.length && (raw[i] === " " || raw[i] === "\t") && raw[i] !== delimiter) i++;
        starts.push({ line, column: i - lineStart + 1 });
    };
    push(0);
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (c === '"') quoted = !quoted;
        else if (c === "\n") {
            line++;
            lineStart = i + 1;
        } else if (c === delimiter && !quoted) push(i + 1);
    }
    return starts;
}
