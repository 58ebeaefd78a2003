import { unguardFormula } from "./csv-cells";
import { CsvRecord, readCsvRecords } from "./csv-records";
import { columnKey, columnNames, CsvFormatName, detectFormat, ignoredLegacyColumn, knownColumn, NATIVE_HEADER, portalProperty, PROFILE_FIELDS, unusedColumn } from "./csv-formats";
import { looksLikeEmail, missingEmailHint, otherPortalTemplate, standsForEmail } from "./csv-header";
import { headerShape, rowShapeProblem } from "./csv-rows";
import { Declared, FileDeclarations } from "./declared";
import { Problems, quote, reportCrash } from "../problems";
import { closest, didYouMean } from "../suggest";

/** A header column that feeds a guest field; `rank` orders fallbacks (PowerShell's Name). */
interface Column {
    index: number;
    field: string;
    label: string;
    rank: number;
}

/**
 * The first cell of the portal template's example row, in the languages the portal ships its
 * template in: skipped with a warning like the English one.
 */
const EXAMPLE =
    /^(example|beispiel|exemple|ejemplo|esempio|exemplo|voorbeeld|exempel|eksempel|esimerkki|przykład|příklad|példa|örnek|пример|例|示例|範例|예|예제|예시)\s*[:：]/iu;

/**
 * Reads one CSV file of any supported dialect into declarations, reporting into `problems`.
 * Whatever goes wrong inside becomes an error naming the file: a crash in one file must not
 * lose the problems of the others, nor print a stack trace.
 */
export function readCsvFile(file: string, utf8: Buffer, problems: Problems): FileDeclarations {
    const result: FileDeclarations = { file, format: "csv", guests: [] };
    try {
        readInto(result, utf8, problems);
    } catch (err) {
        result.guests = [];
        reportCrash(file, err, problems);
    }
    return result;
}

function readInto(result: FileDeclarations, utf8: Buffer, problems: Problems): void {
    const file = result.file;
    const read = readCsvRecords(utf8);
    if (!read.ok) {
        problems.error({ file, line: read.line, column: read.column }, read.message);
        return;
    }
    if (read.layoutError) problems.error({ file, line: read.layoutError.line, column: read.layoutError.column }, read.layoutError.message);
    const records = read.records;
    let next = 0;
    // The portal template starts with "version:v1.0" (Excel adds ",,,").
    if (records[0] && /^version:/i.test(records[0].values[0])) next++;
    const headerRecord = records[next++];
    if (!headerRecord) {
        problems.warn({ file }, "the file declares no guests; add a header row and one row per guest, or delete the file");
        return;
    }
    const header = headerRecord.values;
    const firstRow = records[next]?.values;
    const format = detectFormat(header);
    if (!format) {
        const hint = missingEmailHint(header, firstRow);
        if (hint) problems.error({ file, ...headerRecord.position(hint.index) }, hint.message);
        else {
            problems.error(
                { file, line: headerRecord.line, column: 1 },
                `the header row names no email column (got ${quote(header.join(read.delimiter))}); ` +
                    "start the file with a header like email,displayName,groups, or the portal template (`entra-guests template`)",
            );
        }
        return;
    }
    const otherTemplate = format === "portal" ? otherPortalTemplate(header) : undefined;
    if (otherTemplate) {
        problems.error({ file, line: headerRecord.line, column: 1 }, otherTemplate);
        return;
    }
    result.format = format;
    const columns = mapColumns(file, format, headerRecord, problems);
    const email = columns.find((c) => c.field === "email");
    if (!email) {
        const hint = missingEmailHint(header, firstRow, (i) => columns.some((c) => c.index === i));
        if (hint) problems.error({ file, ...headerRecord.position(hint.index) }, hint.message);
        else {
            const name = format === "portal" ? "[inviteeEmail]" : format === "powershell" ? "InvitedUserEmailAddress" : "Email";
            problems.error({ file, line: headerRecord.line, column: 1 }, `the header row has no ${name} column; add it, the guest's address is required`);
        }
        return;
    }
    if (format === "legacy-b2b" && !columns.some((c) => c.field === "displayName")) {
        problems.warn({ file, line: headerRecord.line, column: 1 }, "the legacy B2B header has no DisplayName column; guests get no display name until they redeem");
    }
    result.header = { file, line: headerRecord.line, column: 1 };
    result.labels = {};
    for (const c of columns) result.labels[c.field] ??= c.label;
    const shape = headerShape(header, email.index, read.delimiter);
    for (let i = next; i < records.length; i++) {
        const record = records[i];
        if (format === "portal" && EXAMPLE.test(record.values[0])) {
            problems.warn(
                { file, ...record.position(0) },
                `the row is the template's example (got ${quote(record.values[0])}); it is skipped, delete it from the file`,
            );
            continue;
        }
        const misshapen = rowShapeProblem(file, record, shape);
        if (misshapen) problems.error(misshapen.at, misshapen.message);
        else result.guests.push(declareRow(file, record, columns));
    }
}

function mapColumns(file: string, format: CsvFormatName, header: CsvRecord, problems: Problems): Column[] {
    const columns: Column[] = [];
    const hasEmail = header.values.some((label) => knownColumn(format, label)?.field === "email");
    header.values.forEach((label, index) => {
        const at = { file, ...header.position(index) };
        if (label === "") return;
        const known = knownColumn(format, label);
        if (known) {
            columns.push({ index, field: known.field, label, rank: known.rank });
            return;
        }
        // Without an email column, the missing column is the error, reported at the cell meant as it.
        if (!hasEmail && standsForEmail(label)) return;
        const unused = unusedColumn(label);
        const ignored = ignoredLegacyColumn(label);
        const property = format === "portal" ? portalProperty(label) : undefined;
        const near = nearGuestField(format, label);
        if (unused) {
            problems.warn(at, `column ${quote(label)} is not used: ${unused}; delete the column to silence this warning`);
        } else if (ignored && format !== "portal") {
            problems.warn(at, `column ${quote(label)} is ignored: ${ignored}; delete the column to silence this warning`);
        } else if (format === "native-csv") {
            const names = [...NATIVE_HEADER, ...PROFILE_FIELDS];
            problems.error(at, `column ${quote(label)} is neither a guest field nor a user property; ${didYouMean(label, names)}rename it to one of ${names.join(", ")}, or delete the column`);
        } else if (property !== undefined) {
            problems.warn(at, `column ${quote(label)} is not a bulk-invite property (got "[${property}]"); it is ignored, delete it or use [inviteeEmail], [inviteRedirectURL], [sendEmail] or [customizedMessageBody]`);
        } else if (looksLikeEmail(label)) {
            problems.error(at, `column ${quote(label)} is not a guest field; did you mean \`email\`? rename the column, or delete it`);
        } else if (near) {
            // A misspelt guest field is refused in every format, never ignored.
            problems.error(at, `column ${quote(label)} is not a guest field; did you mean \`${near}\`? rename the column, or delete it`);
        } else if (format === "portal") {
            problems.warn(at, `column ${quote(label)} has no [property] name; it is ignored (the portal ignores it too); add the [property] name it stands for, or delete the column`);
        } else {
            problems.warn(at, `column ${quote(label)} is not part of the ${format} format; it is ignored, check its spelling or delete the column`);
        }
    });
    // Two columns for one field would make a cell silently win over another.
    const byField = new Map<string, Column[]>();
    for (const c of columns) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
    for (const [field, same] of byField) {
        const ranks = new Set(same.map((c) => c.rank));
        if (same.length > 1 && ranks.size < same.length) {
            problems.error(
                { file, ...header.position(same[1].index) },
                `columns ${same.map((c) => quote(c.label)).join(" and ")} both set \`${field}\`; delete one of them`,
            );
        }
    }
    return columns.sort((a, b) => a.rank - b.rank);
}

/** The column name a label of a non-native format is one slip away from, if any. */
function nearGuestField(format: CsvFormatName, label: string): string | undefined {
    const key = columnKey(label);
    // Stricter than the native "did you mean": these formats carry extra columns ("ID", "Notes")
    // that must stay warnings.
    return closest(key, columnNames(format), Math.max(1, Math.floor(key.length / 4)));
}

function declareRow(file: string, record: CsvRecord, columns: Column[]): Declared {
    const values: Record<string, unknown> = {};
    const cellOf = new Map<string, number>();
    for (const column of columns) {
        const value = record.values[column.index];
        // Fallback columns (rank 1) fill a field only when the preferred column is empty.
        if (value === undefined || value === "" || Object.hasOwn(values, column.field)) continue;
        // `'=x` is the spreadsheet-safe spelling of `=x` (csv-cells.ts).
        values[column.field] = unguardFormula(value);
        cellOf.set(column.field, column.index);
    }
    return {
        at: { file, line: record.line },
        values,
        // Positions are worked out only when a message needs one.
        locate(path) {
            const index = cellOf.get(String(path[0]));
            return { file, ...record.position(index ?? 0) };
        },
    };
}
