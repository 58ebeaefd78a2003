import { parse } from "csv-parse/sync";
import { LineIndex } from "./decode";

export interface CsvCell {
    value: string;
    line: number;
    column: number;
}

export interface CsvRecord {
    line: number;
    cells: CsvCell[];
}

export type CsvRead =
    | { ok: true; delimiter: string; records: CsvRecord[] }
    | { ok: false; line: number; message: string };

const DELIMITERS = [",", ";", "\t"];

/**
 * Reads CSV text into records whose cells know their line and column. csv-parse does the
 * parsing; we only add positions, which it does not report per cell. Blank records (including
 * Excel's ",,,," leftovers) are dropped; cells are trimmed.
 */
export function readCsvRecords(text: string): CsvRead {
    const delimiter = detectDelimiter(text);
    // csv-parse reports where each record ends in bytes (`info.bytes`); its `raw` text can
    // lack the last character of a CRLF, so offsets come from bytes, not from `raw`.
    const bytes = Buffer.from(text, "utf8");
    let parsed: { record: string[]; raw: string; info: { bytes: number } }[];
    try {
        parsed = parse(bytes, {
            delimiter,
            info: true,
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
    const lines = new LineIndex(text);
    const records: CsvRecord[] = [];
    let byteStart = 0;
    let charStart = 0;
    for (const { record, raw, info } of parsed) {
        if (record.some((v) => v !== "")) {
            const starts = cellStarts(raw, delimiter);
            const cells = record.map((value, i) => {
                const pos = lines.position(charStart + (starts[i] ?? 0));
                return { value, line: pos.line, column: pos.column };
            });
            records.push({ line: lines.position(charStart).line, cells });
        }
        charStart += bytes.toString("utf8", byteStart, info.bytes).length;
        byteStart = info.bytes;
    }
    return { ok: true, delimiter, records };
}

/** The delimiter that splits the header row most: ",", ";" (European Excel) or tab. */
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

/** Offsets, within one raw record, of the first non-blank character of each cell. */
function cellStarts(raw: string, delimiter: string): number[] {
    const starts: number[] = [];
    let quoted = false;
    let start = 0;
    const push = (from: number) => {
        let i = from;
        while (i < raw.length && (raw[i] === " " || raw[i] === "\t") && raw[i] !== delimiter) i++;
        starts.push(i);
    };
    push(0);
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (c === '"') quoted = !quoted;
        else if (c === delimiter && !quoted) {
            start = i + 1;
            push(start);
        }
    }
    return starts;
}
