// One CSV cell as we write it and read it back. A spreadsheet runs a cell that starts with `=`,
// `+`, `-` or `@` (or a tab or CR before one) as a formula: a display name like
// `=HYPERLINK("http://x","y")` becomes a link when the file is opened (OWASP, "CSV Injection").
// Writers put a `'` in front of such a cell, which a spreadsheet shows as text; the guest-file
// reader takes that `'` off again, so a file `adopt` writes reads back as the directory holds it.

/** A cell a spreadsheet would run: a formula character, after any `'` already there. */
const RUNS_AS_FORMULA = /^'*[=+\-@\t\r]/;

/**
 * `text` with a `'` in front when a spreadsheet would run it. A text that already starts with
 * `'` before a formula character gets one more, so that `unguardFormula` gives it back as it was.
 */
export function guardFormula(text: string): string {
    return RUNS_AS_FORMULA.test(text) ? `'${text}` : text;
}

/**
 * The reader's side of `guardFormula`: one `'` taken off a cell that starts with `'` and then a
 * formula character (`'=x` is read as `=x`, `''=x` as `'=x`). Any other `'` is text.
 */
export function unguardFormula(cell: string): string {
    return cell.charCodeAt(0) === 0x27 && RUNS_AS_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/**
 * One cell of a comma-separated file: guarded against running as a formula, then quoted as RFC
 * 4180 says when it holds `"`, `,`, CR or LF (quotes doubled), or starts or ends with white
 * space, which an unquoted cell loses to trimming.
 */
export function csvCell(text: string): string {
    const safe = guardFormula(text);
    return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
