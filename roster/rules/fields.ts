import { domainToASCII } from "url";
import { firstNonAscii, firstUnseen, shown, UNSEEN_IN_ADDRESS, UNSEEN_IN_LINE, UNSEEN_IN_TEXT } from "./characters";
import { quote } from "../problems";

/**
 * Checks for one field's value, whatever file it came from. A CSV cell arrives as a string,
 * a YAML value as whatever YAML made of it. Each check returns the normalised value or one
 * message in the house form: what is wrong, the value, what to do.
 */
export type Checked<T> = { ok: true; value: T; warnings?: string[] } | { ok: false; message: string };

export const ok = <T>(value: T, warnings?: string[]): Checked<T> =>
    warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
export const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

/** Empty cells and YAML nulls mean "not given". */
export function isAbsent(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** A scalar as text; objects and lists are not text. */
function asText(field: string, value: unknown, fix: string): Checked<string> {
    if (typeof value === "string") return ok(value.trim());
    if (typeof value === "number" || typeof value === "boolean") return ok(String(value));
    return fail(`\`${field}\` must be text (got ${quote(value)}); ${fix}`);
}

// Graph refuses these anywhere in an invited address (REFERENCE.md section 1).
const FORBIDDEN = "~!#$%^&*()+=[]{}\\/|;:\"<>?,";
const HAS_FORBIDDEN = /[~!#$%^&*()+=[\]{}\\/|;:"<>?,]/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// The common shape of a valid address, tested first so that most rows skip the rule-by-rule
// checks below, which exist to say what is wrong. Anything it does not match goes through them.
const PLAIN_EMAIL = /^[a-z0-9_'](?:[a-z0-9_'-]|\.(?!\.))*[a-z0-9_']@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*$/;

/**
 * An invited address, trimmed, in Unicode NFC and lower-cased: it is the guest's identity, so
 * one address in any spelling is one guest (NFC also folds a KELVIN SIGN into "k"). Invisible
 * characters inside it are refused, never dropped. Then it must be ASCII: the azuread provider
 * checks `user_email_address` with an ASCII-only pattern (terraform-provider-azuread v3.8.0,
 * internal/helpers/tf/validation/strings.go:23), so any other address fails its Check in the
 * middle of a preview. The check runs on the normalised address, the one the provider is given.
 */
export function checkEmail(value: unknown, field = "email"): Checked<string> {
    return checkAddress(value, field, true);
}

/**
 * Graph's rules for an address, normalised as `checkEmail` does, ASCII-only when `asciiOnly`. A
 * `cc` is not: the provider checks `additional_recipients` only for being non-empty.
 */
function checkAddress(value: unknown, field: string, asciiOnly: boolean): Checked<string> {
    if (typeof value === "string") {
        // ASCII only: already NFC, so the common case skips normalisation.
        const email = value.trim().toLowerCase();
        if (PLAIN_EMAIL.test(email)) return { ok: true, value: email };
    }
    if (isAbsent(value)) {
        return fail(`\`${field}\` is missing; every guest needs the address the invitation goes to`);
    }
    const text = asText(field, value, "write one address, like ann@fabrikam.com");
    if (!text.ok) return text;
    const got = `(got ${shown(text.value)})`;
    const unseen = firstUnseen(text.value, UNSEEN_IN_ADDRESS);
    if (unseen) return fail(`\`${field}\` contains ${unseen.name} at position ${unseen.position} ${got}; retype the address`);
    // Lower-casing can decompose (İ becomes i + U+0307), so NFC again after it.
    const written = text.value.normalize("NFC");
    const email = written.toLowerCase().normalize("NFC");
    if (/\s/.test(email)) {
        return fail(`\`${field}\` contains white space ${got}; remove the spaces inside the address`);
    }
    const at = email.split("@");
    if (at.length !== 2 || at[0] === "" || at[1] === "") {
        return fail(`\`${field}\` is not an email address ${got}; write it as name@domain, like ann@fabrikam.com`);
    }
    const [local, domain] = at;
    if (HAS_FORBIDDEN.test(email)) {
        const bad = [...new Set([...email].filter((c) => FORBIDDEN.includes(c)))];
        const chars = bad.map((c) => `"${c}"`).join(", ");
        const hint = bad.includes("+")
            ? "invite the address without the plus tag, like ann@fabrikam.com"
            : "correct the address";
        return fail(`\`${field}\` contains ${chars}, which Graph refuses in invited addresses ${got}; ${hint}`);
    }
    if (/^[.-]|[.-]$/.test(local)) {
        return fail(`\`${field}\` starts or ends its name part with "." or "-", which Graph refuses ${got}; correct the address`);
    }
    if (local.includes("..")) {
        return fail(`\`${field}\` has two dots in a row ${got}; correct the address`);
    }
    // A domain in Unicode is judged by its ASCII form, which the fix below offers.
    const asciiDomain = asciiOnly && NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
    if (!isDomain(asciiDomain)) {
        return fail(`\`${field}\` has an invalid domain ${quote(domain)} ${got}; write a full domain, like fabrikam.com`);
    }
    const foreign = asciiOnly ? firstNonAscii(written) : undefined;
    if (foreign) {
        const inName = foreign.index < written.indexOf("@");
        const what = `\`${field}\` contains ${foreign.name} at position ${foreign.position}, in the ${inName ? "name part" : "domain"}, and the azuread provider takes ASCII addresses only ${got}`;
        return fail(
            inName
                ? `${what}; a name part has no ASCII form: ask the guest for another address, or retype the character if it is a typo`
                : `${what}; write the internationalised domain in its ASCII (punycode) form, ${local}@${asciiDomain}, or retype the character if it is a typo`,
        );
    }
    return ok(email);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** At least two labels of letters, digits and inner hyphens, the last starting with a letter. */
function isDomain(domain: string): boolean {
    const labels = domain.split(".");
    return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && /^[a-z][a-z0-9-]*$/.test(labels[labels.length - 1]);
}

export function checkRedirectUrl(value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = asText("redirectUrl", value, "write one absolute URL");
    if (!text.ok) return text;
    let url: URL | undefined;
    try {
        url = new URL(text.value);
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
        return fail(`\`redirectUrl\` is not an absolute http(s) URL (got ${quote(text.value)}); write a full address, like https://myapps.microsoft.com`);
    }
    return ok(text.value);
}

// Excel writes TRUE and FALSE in the language of its installation into a CSV: de, fr, es,
// it, pt, nl, sv, da, nb, fi, pl, cs, hu, tr (with both lower-case i's), ru.
const TRUE = new Set(["true", "yes", "1", "y", "wahr", "vrai", "verdadero", "vero", "verdadeiro", "waar", "sant", "sand", "sann", "tosi", "prawda", "pravda", "igaz", "doğru", "истина"]);
const FALSE = new Set(["false", "no", "0", "n", "falsch", "faux", "falso", "onwaar", "falskt", "falsk", "usann", "epätosi", "fałsz", "nepravda", "hamis", "yanliş", "yanlış", "ложь"]);

/** true/false/yes/no/1/0 and Excel's localised TRUE/FALSE in any case, as YAML booleans or as text. */
export function checkBoolean(field: string, value: unknown): Checked<boolean | undefined> {
    if (isAbsent(value)) return ok(undefined);
    if (typeof value === "boolean") return ok(value);
    const text = String(typeof value === "object" ? JSON.stringify(value) : value).trim().normalize("NFC").toLowerCase();
    if (TRUE.has(text)) return ok(true);
    if (FALSE.has(text)) return ok(false);
    return fail(`\`${field}\` must be true or false (got ${quote(value)}); write true, false, yes, no, 1 or 0`);
}

// The invitation message is text over lines; every other text field is one line.
const MULTILINE = new Set(["message"]);

/**
 * Free text, kept as written. Control characters, line separators and bidirectional controls
 * are refused: they can reorder what a reviewer sees or fake a line of output.
 */
export function checkText(field: string, value: unknown, max?: number): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = asText(field, value, "write plain text");
    if (!text.ok) return text;
    const unseen = firstUnseen(text.value, MULTILINE.has(field) ? UNSEEN_IN_TEXT : UNSEEN_IN_LINE);
    if (unseen) return fail(`\`${field}\` contains ${unseen.name} at position ${unseen.position} (got ${shown(text.value)}); retype the text without it`);
    if (max !== undefined && text.value.length > max) {
        return fail(`\`${field}\` is ${text.value.length} characters long (got ${quote(text.value)}); shorten it to at most ${max}`);
    }
    return ok(text.value);
}

// ISO 639 language, optionally with a region or script: en, de, pt-BR, zh-HANS.
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

export function checkLanguage(value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = asText("language", value, "write a language code like en-US");
    if (!text.ok) return text;
    if (!LANGUAGE.test(text.value)) {
        return fail(`\`language\` is not a language code (got ${quote(text.value)}); write an ISO 639 code like en-US, de or pt-BR`);
    }
    return ok(text.value);
}

/** Graph takes one cc recipient (REFERENCE.md section 1). */
export function checkCc(value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[;,|]/).filter((s) => s.trim() !== "") : [value];
    if (items.length > 1) {
        return fail(`\`cc\` lists ${items.length} addresses (got ${quote(value)}); Graph sends a copy to one recipient only, keep one`);
    }
    return checkAddress(items[0], "cc", false);
}

export type UserType = "Guest" | "Member";

export function checkUserType(value: unknown): Checked<UserType | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = String(value).trim().toLowerCase();
    if (text === "guest") return ok("Guest");
    if (text === "member") return ok("Member");
    return fail(`\`userType\` must be Guest or Member (got ${quote(value)}); write Guest, or Member for an invited member`);
}

export type OnRemove = "delete" | "retain";

export function checkOnRemove(value: unknown): Checked<OnRemove | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = String(value).trim().toLowerCase();
    if (text === "delete" || text === "retain") return ok(text);
    return fail(`\`onRemove\` must be delete or retain (got ${quote(value)}); write delete to remove the guest user with its row, retain to keep the user`);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function daysIn(year: number, month: number): number {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** A calendar date, YYYY-MM-DD, that exists: 2027-02-30 is refused, never rolled into March. */
export function checkDate(field: string, value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    if (value instanceof Date) {
        // A YAML timestamp: a day only when it has no time of day, or cutting it would change it.
        const iso = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
        if (iso && iso.endsWith("T00:00:00.000Z")) return ok(iso.slice(0, 10));
        return fail(`\`${field}\` is a date and time, not a date (got "${iso ?? String(value)}"); write the day alone, as YYYY-MM-DD`);
    }
    const text = String(value).trim();
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return fail(`\`${field}\` is not a date (got ${quote(value)}); write it as YYYY-MM-DD, like 2027-03-31`);
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wrong = `\`${field}\` is not a calendar date`;
    if (month < 1 || month > 12) return fail(`${wrong}: there is no month ${m[2]} (got ${quote(value)}); write it as YYYY-MM-DD with a month from 01 to 12`);
    const last = daysIn(year, month);
    if (day < 1 || day > last) {
        const why = day < 1 ? `there is no day ${m[3]}` : `${MONTHS[month - 1]} ${m[1]} has ${last} days`;
        return fail(`${wrong}: ${why} (got ${quote(value)}); write a day that exists, like ${m[1]}-${m[2]}-${String(day < 1 ? 1 : last).padStart(2, "0")}`);
    }
    return ok(text);
}
