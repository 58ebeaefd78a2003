import { CsvRecord, readCsvRecords } from "./csv-records";
import {
    columnKey,
    CsvFormatName,
    detectFormat,
    LEGACY_COLUMNS,
    LEGACY_IGNORED,
    NATIVE_COLUMNS,
    PORTAL_PROPERTIES,
    portalProperty,
    POWERSHELL_COLUMNS,
} from "./csv-formats";
import { Declared, FileDeclarations } from "./declared";
import { Problems, quote } from "./problems";
import { didYouMean } from "./suggest";

/** A header column that feeds a guest field; `rank` orders fallbacks (PowerShell's Name). */
interface Column {
    index: number;
    field: string;
    label: string;
    rank: number;
}

/** Reads one CSV file of any supported dialect into declarations, reporting into `problems`. */
export function readCsvFile(file: string, utf8: Buffer, problems: Problems): FileDeclarations {
    const result: FileDeclarations = { file, format: "csv", guests: [] };
    const read = readCsvRecords(utf8);
    if (!read.ok) {
        problems.error({ file, line: read.line }, read.message);
        return result;
    }
    const records = read.records;
    let next = 0;
    // The portal template starts with "version:v1.0" (Excel adds ",,,").
    if (records[0] && /^version:/i.test(records[0].values[0])) next++;
    const headerRecord = records[next++];
    if (!headerRecord) {
        problems.warn({ file }, "the file declares no guests; add a header row and one row per guest, or delete the file");
        return result;
    }
    const header = headerRecord.values;
    const format = detectFormat(header);
    if (!format) {
        problems.error(
            { file, line: headerRecord.line, column: 1 },
            `the header row names no email column (got ${quote(header.join(read.delimiter))}); ` +
                "start the file with a header like email,displayName,groups, or the portal template (`entra-guests template`)",
        );
        return result;
    }
    result.format = format;
    const columns = mapColumns(file, format, headerRecord, problems);
    if (!columns.some((c) => c.field === "email")) {
        const name = format === "portal" ? "[inviteeEmail]" : format === "powershell" ? "InvitedUserEmailAddress" : "Email";
        problems.error({ file, line: headerRecord.line, column: 1 }, `the header row has no ${name} column; add it, the guest's address is required`);
        return result;
    }
    if (format === "legacy-b2b" && !columns.some((c) => c.field === "displayName")) {
        problems.warn({ file, line: headerRecord.line, column: 1 }, "the legacy B2B header has no DisplayName column; guests get no display name until they redeem");
    }
    for (const record of records.slice(next)) {
        if (format === "portal" && /^example:/i.test(record.values[0])) {
            problems.warn(
                { file, ...record.position(0) },
                `the row is the template's example (got ${quote(record.values[0])}); it is skipped, delete it from the file`,
            );
            continue;
        }
        result.guests.push(declareRow(file, record, columns));
    }
    return result;
}

function mapColumns(file: string, format: CsvFormatName, header: CsvRecord, problems: Problems): Column[] {
    const columns: Column[] = [];
    const table = format === "powershell" ? POWERSHELL_COLUMNS : format === "native-csv" ? NATIVE_COLUMNS : LEGACY_COLUMNS;
    header.values.forEach((label, index) => {
        const at = { file, ...header.position(index) };
        if (label === "") return;
        if (format === "portal") {
            const property = portalProperty(label);
            const field = property ? PORTAL_PROPERTIES[property] : undefined;
            if (field) columns.push({ index, field, label: label, rank: 0 });
            else if (property) problems.warn(at, `column ${quote(label)} is not a bulk-invite property (got "[${property}]"); it is ignored, delete it or use [inviteeEmail], [inviteRedirectURL], [sendEmail] or [customizedMessageBody]`);
            else problems.warn(at, `column ${quote(label)} has no [property] name; it is ignored (the portal ignores it too); add the [property] name it stands for, or delete the column`);
            return;
        }
        const key = columnKey(label);
        const field = table[key];
        if (field) {
            columns.push({ index, field, label: label, rank: key === "name" ? 1 : 0 });
        } else if (format === "legacy-b2b" && key in LEGACY_IGNORED) {
            problems.warn(at, `column ${quote(label)} is ignored: ${LEGACY_IGNORED[key]}; delete the column to silence this warning`);
        } else if (format === "native-csv") {
            const hint = didYouMean(label, Object.values(NATIVE_COLUMNS));
            problems.error(at, `column ${quote(label)} is not a guest field; ${hint}the columns are ${Object.values(NATIVE_COLUMNS).join(", ")}`);
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

function declareRow(file: string, record: CsvRecord, columns: Column[]): Declared {
    const values: Record<string, unknown> = {};
    const cellOf: Record<string, number> = {};
    for (const column of columns) {
        const value = record.values[column.index];
        // Fallback columns (rank 1) fill a field only when the preferred column is empty.
        if (value === undefined || value === "" || column.field in values) continue;
        values[column.field] = value;
        cellOf[column.field] = column.index;
    }
    return {
        at: { file, line: record.line },
        values,
        // Positions are worked out only when a message needs one.
        locate(path) {
            const index = cellOf[String(path[0])];
            return { file, ...record.position(index ?? 0) };
        },
    };
}
