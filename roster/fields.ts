import { quote } from "./problems";

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

/** An invited address, trimmed and lower-cased: it is the guest's identity. */
export function checkEmail(value: unknown, field = "email"): Checked<string> {
    if (typeof value === "string") {
        const email = value.trim().toLowerCase();
        if (PLAIN_EMAIL.test(email)) return { ok: true, value: email };
    }
    if (isAbsent(value)) {
        return fail(`\`${field}\` is missing; every guest needs the address the invitation goes to`);
    }
    const text = asText(field, value, "write one address, like ann@fabrikam.com");
    if (!text.ok) return text;
    const email = text.value.toLowerCase();
    const got = `(got ${quote(text.value)})`;
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
    const labels = domain.split(".");
    if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || !/^[a-z][a-z0-9-]*$/.test(labels[labels.length - 1])) {
        return fail(`\`${field}\` has an invalid domain ${quote(domain)} ${got}; write a full domain, like fabrikam.com`);
    }
    return ok(email);
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

const TRUE = new Set(["true", "yes", "1", "y"]);
const FALSE = new Set(["false", "no", "0", "n"]);

/** true/false/yes/no/1/0 in any case, as YAML booleans or as text. */
export function checkBoolean(field: string, value: unknown): Checked<boolean | undefined> {
    if (isAbsent(value)) return ok(undefined);
    if (typeof value === "boolean") return ok(value);
    const text = String(typeof value === "object" ? JSON.stringify(value) : value).trim().toLowerCase();
    if (TRUE.has(text)) return ok(true);
    if (FALSE.has(text)) return ok(false);
    return fail(`\`${field}\` must be true or false (got ${quote(value)}); write true, false, yes, no, 1 or 0`);
}

export function checkText(field: string, value: unknown, max?: number): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = asText(field, value, "write plain text");
    if (!text.ok) return text;
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
    return checkEmail(items[0], "cc");
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

/** A calendar date, YYYY-MM-DD, that exists. */
export function checkDate(field: string, value: unknown): Checked<string | undefined> {
    if (isAbsent(value)) return ok(undefined);
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!m || !date || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
        return fail(`\`${field}\` is not a date (got ${quote(value)}); write it as YYYY-MM-DD, like 2027-03-31`);
    }
    return ok(text);
}
