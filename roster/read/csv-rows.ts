import { QUOTE_FIX } from "./csv-layout";
import { CsvRecord } from "./csv-records";
import { Location, quote } from "../problems";

/**
 * The shape of one data row against its header. A row whose cells do not line up
 * with the header is refused, not read: an unquoted comma in "Lee, Ann" would otherwise put
 * Ann in a group called "Ann", and a missing cell shifts every value after it.
 */
export function rowShapeProblem(file: string, record: CsvRecord, shape: HeaderShape): { at: Location; message: string } | undefined {
    const spanning = spanningCell(record, shape);
    if (spanning) return spanning(file);
    const values = record.values;
    // Excel leaves trailing empty cells ("a,b,,") past the header: harmless, accepted.
    // A non-empty cell past the header is never harmless.
    const used = lastNonEmpty(values) + 1;
    if (used > shape.width) {
        const extra = values.findIndex((v, i) => i >= shape.width && v !== "");
        const name = shape.delimiter === "\t" ? "tab" : `"${shape.delimiter}"`;
        return {
            at: { file, ...record.position(extra) },
            message:
                `the row has ${used} cells but the header has ${shape.width} (got ${quote(record.text)}); ` +
                `quote the cell that contains a ${name} (wrap it in double quotes), or name the extra column in the header`,
        };
    }
    if (values.length < shape.width) {
        return {
            at: { file, ...record.position(0) },
            message:
                `the row has ${values.length} cells but the header has ${shape.width} (got ${quote(record.text)}); ` +
                "add the missing cells, empty ones included, so that each value stays under its column",
        };
    }
    return undefined;
}

/** What a row is checked against: the named width of the header, where the email is, the delimiter. */
export interface HeaderShape {
    width: number;
    emailIndex: number;
    delimiter: string;
}

export function headerShape(header: string[], emailIndex: number, delimiter: string): HeaderShape {
    return { width: lastNonEmpty(header) + 1, emailIndex, delimiter };
}

function lastNonEmpty(values: string[]): number {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== "") return i;
    return -1;
}

const ADDRESS = /^[^\s@",;]+@[^\s@",;]+\.[^\s@",;]+$/;

/**
 * A quoted cell whose lines after the first look like rows (an address in the email column):
 * a stray opening quote swallowed them. Reported where the quote opens. A real multi-line
 * message has no such lines.
 */
function spanningCell(record: CsvRecord, shape: HeaderShape): ((file: string) => { at: Location; message: string }) | undefined {
    for (let i = 0; i < record.values.length; i++) {
        const value = record.values[i];
        if (!value.includes("\n") && !value.includes("\r")) continue;
        const inner = value.split(/\r\n|\r|\n/);
        if (!inner.slice(1).some((line) => looksLikeRow(line, shape))) continue;
        return (file) => {
            const open = record.position(i);
            return {
                at: { file, ...open },
                message: `the quoted cell that opens here runs to line ${open.line + inner.length - 1} over lines that look like rows (got ${quote(`"${inner[0]}`)}); ${QUOTE_FIX}`,
            };
        };
    }
    return undefined;
}

function looksLikeRow(line: string, shape: HeaderShape): boolean {
    const cells = line.split(shape.delimiter).map((c) => c.trim().replace(/^"|"$/g, ""));
    return cells.length >= Math.min(2, shape.width) && ADDRESS.test(cells[shape.emailIndex] ?? "");
}
