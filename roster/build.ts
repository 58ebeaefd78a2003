import { z } from "zod";
import { readCsvFile } from "./read/csv-file";
import { Declared, FileDeclarations } from "./read/declared";
import { decode } from "./read/decode";
import { formatLocation, Location, Problem, Problems, reportCrash, sortProblems, compareText } from "./problems";
import { ALL_GUEST_KEYS, DefaultsDeclaration, GUEST_FIELDS, Guest, GuestDeclaration, GuestFields, parseDeclaration } from "./rules/schema";
import { addCatalog, applyGuardrails, Catalog, checkDomain, GuardrailSettings, today } from "./rules/guardrails";
import { checkEmail } from "./rules/fields";
import { DomainRule, policyRules, stackRules } from "./rules/policy";
import { didYouMean } from "./suggest";
import { readYamlFile } from "./read/yaml-file";
import { fieldForName } from "./read/csv-formats";
import { mailSummary, MailSummary, MailTally, profileOf, reportFileWide, tallyMail } from "./file-wide";

/** A declaration file's bytes, with the path that messages show. */
export interface SourceFile {
    path: string;
    bytes: Uint8Array;
}

export interface RosterOptions extends Partial<GuardrailSettings> {
    /** Redirect URL for guests whose files give none (config `entra-guests:defaultRedirectUrl`). */
    defaultRedirectUrl: string;
}

export interface FileSummary {
    file: string;
    format: string;
    guests: number;
    /** Who of them gets an invitation mail, and what decided it. */
    mail: MailSummary;
}

/** The validated, normalised roster, or every reason it is not valid. */
export interface Roster {
    /** The guests to manage, sorted by email; complete only when `errors` is empty. */
    guests: Guest[];
    /** Declared guests whose `expires` date has come: left out of `guests`. */
    expired: Guest[];
    errors: Problem[];
    warnings: Problem[];
    files: FileSummary[];
}

export const DEFAULT_REDIRECT_URL = "https://myapps.microsoft.com";

/** Files -> parsed rows -> validated, normalised roster. Pure: no disk, no Pulumi. */
export function buildRoster(sources: SourceFile[], options: RosterOptions): Roster {
    const problems = new Problems();
    const settings = guardrailSettings(options);
    const declarations = sources.map((s) => guarded(s.path, problems, () => readSource(s, problems))).filter((d): d is FileDeclarations => d !== undefined);
    // Catalogs first: an alias may be used in any file, whichever is read first.
    const catalog: Catalog = { groups: new Map(), apps: new Map(), files: [] };
    for (const d of declarations) if (d.catalog) addCatalog(d.catalog, catalog, problems);
    const context: Context = { options, settings, catalog, problems, rules: [], mail: new Map() };
    const declared: Guest[] = [];
    const files: FileSummary[] = [];
    for (const d of declarations) {
        context.mail = new Map();
        const fromFile = guarded(d.file, problems, () => validateFile(d, context)) ?? [];
        if (d.guests.length > 0 || !d.catalog) files.push({ file: d.file, format: d.format, guests: fromFile.length, mail: mailSummary(d, context.mail) });
        guarded(d.file, problems, () => reportFileWide(d, fromFile, context.mail, problems));
        // Not push(...fromFile): spreading 125,000+ guests overflows the call stack.
        for (const g of fromFile) declared.push(g);
    }
    reportDuplicates(declared, problems);
    declared.sort((a, b) => compareText(a.email, b.email) || compareText(a.source.file, b.source.file) || a.source.line - b.source.line);
    const guests: Guest[] = [];
    const expired: Guest[] = [];
    for (const g of declared) (context.expiredEmails?.has(g.email) ? expired : guests).push(g);
    return { guests, expired, errors: sortProblems(unique(problems.errors)), warnings: sortProblems(unique(problems.warnings)), files };
}

/** Runs one file's step; a crash becomes an error naming the file, the other files go on. */
function guarded<T>(file: string, problems: Problems, step: () => T): T | undefined {
    try {
        return step();
    } catch (err) {
        reportCrash(file, err, problems);
        return undefined;
    }
}

function guardrailSettings(options: RosterOptions): GuardrailSettings {
    return {
        allowedDomains: options.allowedDomains ?? [],
        blockedDomains: options.blockedDomains ?? [],
        restrictToCatalog: options.restrictToCatalog ?? false,
        allowMemberInvites: options.allowMemberInvites ?? false,
        asOf: options.asOf || today(),
        expiryWarningDays: options.expiryWarningDays ?? 14,
    };
}

interface Context {
    options: RosterOptions;
    settings: GuardrailSettings;
    catalog: Catalog;
    problems: Problems;
    /** The domain rules of the file being validated, then the stack's. */
    rules: DomainRule[];
    expiredEmails?: Set<string>;
    /** The file being validated: its guests' mail, by what decided it. */
    mail: MailTally;
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
    return kind === "yaml" ? readYamlFile(file, decoded.text(), problems) : readCsvFile(file, decoded.utf8, problems);
}

/** A value and where it was set, so later messages point at the line that set it. */
type Layer = { values: Partial<GuestFields>; source: Declared | undefined };

function validateFile(declarations: FileDeclarations, context: Context): Guest[] {
    const { problems } = context;
    let defaults: Layer = { values: {}, source: undefined };
    if (declarations.defaults) {
        const parsed = check(DefaultsDeclaration, declarations.defaults, problems, "defaults");
        if (parsed) defaults = { values: parsed, source: declarations.defaults };
    }
    context.rules = [...policyRules(declarations, problems), ...stackRules(context.settings)];
    const guests: Guest[] = [];
    for (const declared of declarations.guests) {
        const parsed = check(GuestDeclaration, declared, problems, "guest");
        if (!parsed) {
            // The policy is judged on the address alone: report it now, not after the other fixes.
            const email = checkEmail(declared.values.email);
            if (email.ok) checkDomain(email.value, () => declared.locate(["email"]), context.rules, problems);
            continue;
        }
        // `email` stays in the values: merge reads only guest fields, and a copy without it
        // would cost an object per row.
        guests.push(merge(parsed.email, { values: parsed, source: declared }, defaults, context));
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
                } else if (fieldForName(key) !== undefined) {
                    // Another tool's name for one of ours: say which, never guess silently.
                    const field = fieldForName(key);
                    problems.error(where, `unknown key \`${key}\` in a ${what === "guest" ? "guest" : "`defaults` mapping"}; it is another tool's name for \`${field}\`, rename the key to ${field}`);
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
function merge(email: string, row: Layer, defaults: Layer, context: Context): Guest {
    const { options, problems } = context;
    const r = row.values;
    const d = defaults.values;
    // Where a field was set, worked out only when a message needs it: a position costs
    // more than the check itself, and most guests have no message at all.
    const where = (key: keyof GuestFields): Location => {
        const source = r[key] !== undefined || !defaults.source ? row.source! : defaults.source;
        return d[key] === undefined && r[key] === undefined ? row.source!.at : source.locate([key]);
    };
    const message = r.message ?? d.message;
    const language = r.language ?? d.language;
    const cc = r.cc ?? d.cc;
    const sendEmail = r.sendEmail ?? d.sendEmail ?? message !== undefined;
    // An existing member is never invited, so never mailed, whatever sendEmail says.
    const member = r.existingMember ?? d.existingMember;
    tallyMail(context.mail, member ? "member" : r.sendEmail !== undefined ? "entry" : d.sendEmail !== undefined ? "defaults" : message !== undefined ? "message" : "unsaid", sendEmail && !member);
    // Keys in the order of the `validate --format json` contract; absent optionals left out.
    const guest = { email } as Guest;
    const displayName = r.displayName ?? d.displayName;
    if (displayName !== undefined) guest.displayName = displayName;
    guest.redirectUrl = r.redirectUrl ?? d.redirectUrl ?? options.defaultRedirectUrl;
    guest.sendEmail = sendEmail;
    if (message !== undefined) guest.message = message;
    else if (language !== undefined) guest.language = language;
    if (cc !== undefined) guest.cc = cc;
    guest.userType = r.userType ?? d.userType ?? "Guest";
    guest.groups = r.groups ?? d.groups ?? [];
    guest.apps = r.apps ?? d.apps ?? [];
    const expires = r.expires ?? d.expires;
    if (expires !== undefined) guest.expires = expires;
    guest.onRemove = r.onRemove ?? d.onRemove ?? "delete";
    guest.protect = r.protect ?? d.protect ?? false;
    if (r.existingMember ?? d.existingMember) guest.existingMember = true;
    const profile = profileOf(r, d);
    if (profile) guest.profile = profile;
    guest.source = { file: row.source!.at.file, line: row.source!.at.line };
    if (language !== undefined && message !== undefined) {
        // Graph ignores messageLanguage beside a custom body; the provider refuses both.
        problems.warn(where("language"), `\`language\` is ignored for ${email} because a custom \`message\` is given (got "${language}"); delete one of the two`);
    }
    if (!sendEmail) {
        const unused = (["message", "cc", "language"] as const).filter((k) => (k === "message" ? message : k === "cc" ? cc : message === undefined ? language : undefined) !== undefined);
        if (unused.length > 0) {
            const names = unused.map((k) => `\`${k}\``).join(" and ");
            problems.warn(where(unused[0]), `${names} ${unused.length > 1 ? "are" : "is"} not used for ${email} because \`sendEmail\` is false; set sendEmail to true, or delete ${unused.length > 1 ? "them" : "it"}`);
        }
    }
    const emailAt = (key: keyof GuestFields | "email"): Location => (key === "email" ? row.source!.locate(["email"]) : where(key));
    if (applyGuardrails(guest, emailAt, context) === "expired") (context.expiredEmails ??= new Set()).add(guest.email);
    return guest;
}

/** One guest is one user: the same address twice, in any file and any case, is an error. */
function reportDuplicates(guests: Guest[], problems: Problems): void {
    const first = new Map<string, Guest>();
    const repeated = new Map<string, Guest[]>();
    for (const g of guests) {
        const before = first.get(g.email);
        if (before === undefined) first.set(g.email, g);
        else repeated.set(g.email, [...(repeated.get(g.email) ?? [before]), g]);
    }
    for (const [email, same] of repeated) {
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
