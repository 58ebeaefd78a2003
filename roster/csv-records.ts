import { parse } from "csv-parse/sync";

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
}

export type CsvRead = { ok: true; delimiter: string; records: CsvRecord[] } | { ok: false; line: number; message: string };

const DELIMITERS = [",", ";", "\t"];

/**
 * Reads CSV text into records. csv-parse does the parsing; we add positions, which it does
 * not report per cell. Blank records (including Excel's ",,,," leftovers) are dropped; cells
 * are trimmed. csv-parse's `info` option would give each record's line, but it allocates two
 * objects per record and triples the parse time, so lines are counted from `raw` instead.
 */
export function readCsvRecords(utf8: Buffer): CsvRead {
    const delimiter = detectDelimiter(utf8.toString("utf8", 0, 64 * 1024));
    let parsed: { record: string[]; raw: string }[];
    try {
        parsed = parse(utf8, {
            delimiter,
            raw: true,
            trim: true,
            relax_column_count: true,
            relax_quotes: true,
            skip_empty_lines: false,
        }) as unknown as typeof parsed;
    } catch (err) {
        const e = err as { lines?: number; message?: string; code?: string };
        const what = e.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted cell is never closed" : (e.message ?? String(err));
        return {
            ok: false,
            line: e.lines ?? 1,
            message: `the file is not valid CSV: ${what}; check that every opening double quote has its closing one`,
        };
    }
    const records: CsvRecord[] = [];
    let line = 1;
    for (const { record, raw } of parsed) {
        if (record.some((v) => v !== "")) records.push(new CsvRecord(record, line, raw, delimiter));
        line += newlines(raw);
    }
    return { ok: true, delimiter, records };
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
