/** A place in a declaration file. Lines and columns are 1-based, as editors show them. */
export interface Location {
    file: string;
    line?: number;
    column?: number;
}

/** One error or warning, always tied to a file and, where known, a line and column. */
export interface Problem extends Location {
    message: string;
}

/** Collects every problem of a run, so that all of them are reported at once. */
export class Problems {
    readonly errors: Problem[] = [];
    readonly warnings: Problem[] = [];

    error(where: Location, message: string): void {
        this.errors.push(problem(where, message));
    }

    warn(where: Location, message: string): void {
        this.warnings.push(problem(where, message));
    }

    get ok(): boolean {
        return this.errors.length === 0;
    }
}

function problem(where: Location, message: string): Problem {
    const p: Problem = { file: where.file, message };
    if (where.line !== undefined) p.line = where.line;
    if (where.column !== undefined) p.column = where.column;
    return p;
}

/** `file:line:col`, leaving out what is not known. */
export function formatLocation(where: Location): string {
    let text = where.file;
    if (where.line !== undefined) {
        text += `:${where.line}`;
        if (where.column !== undefined) text += `:${where.column}`;
    }
    return text;
}

/** Problems in reading order: by file, then line, then column. */
export function sortProblems(problems: Problem[]): Problem[] {
    return [...problems].sort(
        (a, b) =>
            compareText(a.file, b.file) ||
            (a.line ?? 0) - (b.line ?? 0) ||
            (a.column ?? 0) - (b.column ?? 0) ||
            compareText(a.message, b.message),
    );
}

export function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Quotes a user's value for a message, shortened so one bad cell cannot flood the output. */
export function quote(value: unknown): string {
    let text: string;
    if (typeof value === "string") text = value;
    else if (value === null || value === undefined) text = String(value);
    else if (typeof value === "object") text = JSON.stringify(value) ?? String(value);
    else text = String(value);
    if (text.length > 80) text = `${text.slice(0, 77)}...`;
    return JSON.stringify(text);
}

/** A copy without the keys whose value is undefined, so output and deep-equality stay exact. */
export function withoutUndefined<T extends object>(value: T): T {
    const out: Record<string, unknown> = {};
    for (const key in value) if (value[key] !== undefined) out[key] = value[key];
    return out as T;
}

/** "1 guest", "2 guests". */
export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A crash while reading or checking one file, as an error naming that file: it must not lose
 * the problems of the others, nor print a stack trace.
 */
export function reportCrash(file: string, err: unknown, problems: Problems): void {
    problems.error({ file }, `reading the file failed unexpectedly (got ${quote(String(err))}); this is a bug in entra-guests, report it with the file's shape (not its addresses)`);
}
