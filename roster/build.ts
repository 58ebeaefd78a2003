import { z } from "zod";
import { readCsvFile } from "./csv-file";
import { Declared, FileDeclarations } from "./declared";
import { decode } from "./decode";
import { formatLocation, Location, Problem, Problems, sortProblems, compareText, withoutUndefined } from "./problems";
import { ALL_GUEST_KEYS, DefaultsDeclaration, GUEST_FIELDS, Guest, GuestDeclaration, GuestFields, parseDeclaration } from "./schema";
import { didYouMean } from "./suggest";
import { readYamlFile } from "./yaml-file";

/** A declaration file's bytes, with the path that messages show. */
export interface SourceFile {
    path: string;
    bytes: Uint8Array;
}

export interface RosterOptions {
    /** Redirect URL for guests whose files give none (config `entra-guests:defaultRedirectUrl`). */
    defaultRedirectUrl: string;
}

export interface FileSummary {
    file: string;
    format: string;
    guests: number;
}

/** The validated, normalised roster, or every reason it is not valid. */
export interface Roster {
    /** Sorted by email; complete only when `errors` is empty. */
    guests: Guest[];
    errors: Problem[];
    warnings: Problem[];
    files: FileSummary[];
}

export const DEFAULT_REDIRECT_URL = "https://myapps.microsoft.com";

/** Files -> parsed rows -> validated, normalised roster. Pure: no disk, no Pulumi. */
export function buildRoster(sources: SourceFile[], options: RosterOptions): Roster {
    const problems = new Problems();
    const guests: Guest[] = [];
    const files: FileSummary[] = [];
    for (const source of sources) {
        const declarations = readSource(source, problems);
        if (!declarations) continue;
        const fromFile = validateFile(declarations, options, problems);
        files.push({ file: source.path, format: declarations.format, guests: fromFile.length });
        guests.push(...fromFile);
    }
    reportDuplicates(guests, problems);
    guests.sort((a, b) => compareText(a.email, b.email) || compareText(a.source.file, b.source.file) || a.source.line - b.source.line);
    return { guests, errors: sortProblems(unique(problems.errors)), warnings: sortProblems(unique(problems.warnings)), files };
}

function readSource(source: SourceFile, problems: Problems): FileDeclarations | undefined {
    const file = source.path;
    const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
    const kind = ext === "yaml" || ext === "yml" ? "yaml" : ext === "csv" || ext === "tsv" || ext === "txt" ? "csv" : undefined;
    if (!kind) {
        problems.error({ file }, "the file is neither CSV nor YAML; name it *.csv, *.yaml or *.yml");
        return undefined;
    }
    const decoded = decode(source.bytes);
    if (!decoded.ok) {
        problems.error({ file, line: 1, column: 1 }, decoded.message);
        return undefined;
    }
    return kind === "yaml" ? readYamlFile(file, decoded.text, problems) : readCsvFile(file, decoded.text, problems);
}

/** A value and where it was set, so later messages point at the line that set it. */
type Layer = { values: Partial<GuestFields>; source: Declared | undefined };

function validateFile(declarations: FileDeclarations, options: RosterOptions, problems: Problems): Guest[] {
    let defaults: Layer = { values: {}, source: undefined };
    if (declarations.defaults) {
        const parsed = check(DefaultsDeclaration, declarations.defaults, problems, "defaults");
        if (parsed) defaults = { values: parsed, source: declarations.defaults };
    }
    const guests: Guest[] = [];
    for (const declared of declarations.guests) {
        const parsed = check(GuestDeclaration, declared, problems, "guest");
        if (!parsed) continue;
        const { email, ...fields } = parsed;
        guests.push(merge(email, { values: fields, source: declared }, defaults, options, problems));
    }
    return guests;
}

function check<S extends z.ZodType>(schema: S, declared: Declared, problems: Problems, what: "guest" | "defaults"): z.output<S> | undefined {
    const { result, warnings } = parseDeclaration(schema, declared.values);
    for (const w of warnings) problems.warn(declared.locate([w.field]), w.message);
    if (result.success) return result.data as z.output<S>;
    for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const where = declared.locate([...issue.path, key], true);
                if (what === "defaults" && key === "email") {
                    problems.error(where, "`email` cannot be a default; every guest has its own address, move it into a guest");
                } else {
                    const known = what === "defaults" ? GUEST_FIELDS : ALL_GUEST_KEYS;
                    problems.error(where, `unknown key \`${key}\` in a ${what === "guest" ? "guest" : "`defaults` mapping"}; ${didYouMean(key, known)}the keys are ${known.join(", ")}`);
                }
            }
        } else {
            problems.error(declared.locate(issue.path), issue.message);
        }
    }
    return undefined;
}

/** Precedence: config defaults < the file's `defaults` < the guest's own fields. */
function merge(email: string, row: Layer, defaults: Layer, options: RosterOptions, problems: Problems): Guest {
    const pick = <K extends keyof GuestFields>(key: K): { value: GuestFields[K]; at: Location } | undefined => {
        for (const layer of [row, defaults]) {
            const value = layer.values[key];
            if (value !== undefined && layer.source) return { value, at: layer.source.locate([key]) };
        }
        return undefined;
    };
    const message = pick("message");
    const language = pick("language");
    const cc = pick("cc");
    const sendEmail = pick("sendEmail")?.value ?? message !== undefined;
    const spokenLanguage = language && !message ? language.value : undefined;
    // Keys in the order of the `validate --format json` contract; absent optionals left out.
    const guest = withoutUndefined({
        email,
        displayName: pick("displayName")?.value,
        redirectUrl: pick("redirectUrl")?.value ?? options.defaultRedirectUrl,
        sendEmail,
        message: message?.value,
        language: spokenLanguage,
        cc: cc?.value,
        userType: pick("userType")?.value ?? "Guest",
        groups: pick("groups")?.value ?? [],
        apps: pick("apps")?.value ?? [],
        expires: pick("expires")?.value,
        onRemove: pick("onRemove")?.value ?? "delete",
        protect: pick("protect")?.value ?? false,
        source: { file: row.source!.at.file, line: row.source!.at.line },
    }) as Guest;
    if (language && message) {
        // Graph ignores messageLanguage beside a custom body; the provider refuses both.
        problems.warn(language.at, `\`language\` is ignored for ${email} because a custom \`message\` is given (got "${language.value}"); delete one of the two`);
    }
    if (!sendEmail) {
        const unused = [message && "`message`", cc && "`cc`", language && !message && "`language`"].filter(Boolean);
        if (unused.length > 0) {
            const at = (message ?? cc ?? language)!.at;
            problems.warn(at, `${unused.join(" and ")} ${unused.length > 1 ? "are" : "is"} not used for ${email} because \`sendEmail\` is false; set sendEmail to true, or delete ${unused.length > 1 ? "them" : "it"}`);
        }
    }
    return guest;
}

/** One guest is one user: the same address twice, in any file and any case, is an error. */
function reportDuplicates(guests: Guest[], problems: Problems): void {
    const byEmail = new Map<string, Guest[]>();
    for (const g of guests) byEmail.set(g.email, [...(byEmail.get(g.email) ?? []), g]);
    for (const [email, same] of byEmail) {
        if (same.length < 2) continue;
        same.sort((a, b) => compareText(a.source.file, b.source.file) || a.source.line - b.source.line);
        const where = same.map((g) => formatLocation(g.source)).join(", ");
        for (const g of same.slice(1)) {
            problems.error(g.source, `\`email\` ${email} is declared ${same.length} times (${where}); keep one declaration and delete the others`);
        }
    }
}

function unique(problems: Problem[]): Problem[] {
    const seen = new Set<string>();
    return problems.filter((p) => {
        const key = `${formatLocation(p)}\u0000${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
