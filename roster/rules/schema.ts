import { z } from "zod";
import { checkApps, checkGroups } from "./references";
import {
    checkBoolean,
    checkCc,
    checkDate,
    checkEmail,
    checkLanguage,
    checkOnRemove,
    checkRedirectUrl,
    checkText,
    checkUserType,
    Checked,
} from "./fields";
import { AppAccess } from "./references";
import { Profile, profileChecks } from "./profile";

/** A warning of a field check; zod knows only failures, so warnings go beside the parse. */
export interface FieldWarning {
    field: string;
    message: string;
}

type Check = (value: unknown) => Checked<unknown>;
/** The value a check gives for a present field. */
type CheckedValue<C extends Check> = Exclude<Extract<ReturnType<C>, { ok: true }>["value"], undefined>;
type Values<C extends Record<string, Check>> = { [K in keyof C]?: CheckedValue<C[K]> };

let warningSink: FieldWarning[] | undefined;

/**
 * A strict zod object whose fields are our checks. One transform runs the checks of the keys
 * present, rather than a zod pipe per field: with 100,000 rows the per-field pipes cost more
 * than parsing the CSV. `required` keys are checked even when absent (the check says so).
 */
function fieldsObject<C extends Record<string, Check>, R extends keyof C = never>(checks: C, required: readonly R[] = [], cached: readonly (keyof C)[] = []) {
    const shape = Object.fromEntries(Object.keys(checks).map((k) => [k, z.unknown().optional()]));
    const caches = new Map(cached.map((k) => [k, new Map<string, Checked<unknown>>()]));
    return z.strictObject(shape).transform((input, ctx) => {
        const out: Record<string, unknown> = {};
        // The keys a row has, then the required ones it lacks: a row sets a few of the many fields.
        const given = input as Record<string, unknown>;
        const keys = Object.keys(given).filter((k) => given[k] !== undefined);
        for (const key of required) if (given[key as string] === undefined) keys.push(key as string);
        for (const key of keys as (keyof C & string)[]) {
            const value = given[key];
            const result = cachedCheck(checks[key], value, caches.get(key));
            if (!result.ok) {
                ctx.addIssue({ code: "custom", path: [key], message: result.message, input: value });
                continue;
            }
            if (result.value !== undefined) out[key] = result.value;
            for (const message of result.warnings ?? []) warningSink?.push({ field: key, message });
        }
        return out as Values<C> & { [K in R]: CheckedValue<C[K]> };
    });
}

/**
 * A check's result, reused for a text value seen before: a roster repeats the same redirect
 * URL, group list or flag on thousands of rows. Results are never mutated downstream.
 */
function cachedCheck(check: Check, value: unknown, cache: Map<string, Checked<unknown>> | undefined): Checked<unknown> {
    if (cache === undefined || typeof value !== "string") return check(value);
    let result = cache.get(value);
    if (result === undefined) {
        if (cache.size >= 10_000) cache.clear();
        result = check(value);
        cache.set(value, result);
    }
    return result;
}

/** `schema.safeParse(values)`, plus the warnings its field checks gave. */
export function parseDeclaration<S extends z.ZodType>(schema: S, values: unknown) {
    const warnings: FieldWarning[] = [];
    warningSink = warnings;
    try {
        return { result: schema.safeParse(values), warnings };
    } finally {
        warningSink = undefined;
    }
}

/** Every field a guest may set, except its identity. Also the keys of `defaults`. */
const guestFieldChecks = {
    /** Shown in the directory; Graph takes up to 256 characters. */
    displayName: (v: unknown) => checkText("displayName", v, 256),
    /** Where the guest lands after redeeming; absolute http(s). */
    redirectUrl: checkRedirectUrl,
    /** Send Microsoft's invitation email; defaults to true when a message is given. */
    sendEmail: (v: unknown) => checkBoolean("sendEmail", v),
    /** A custom invitation message (plain text; Graph does not render HTML). */
    message: (v: unknown) => checkText("message", v),
    /** Language of Microsoft's invitation email; ignored when a message is given. */
    language: checkLanguage,
    /** One address that gets a copy of the invitation. */
    cc: checkCc,
    /** Guest, or Member (an invited member). */
    userType: checkUserType,
    /** Groups by object ID or display name. */
    groups: checkGroups,
    /** App access: client ID or display name, with an optional role. */
    apps: checkApps,
    /** The day access ends, YYYY-MM-DD. */
    expires: (v: unknown) => checkDate("expires", v),
    /** What removing the declaration does to the guest user: delete it, or retain it. */
    onRemove: checkOnRemove,
    /** Refuse any delete of this guest user, replacement included, until unprotected. */
    protect: (v: unknown) => checkBoolean("protect", v),
    /** The address belongs to a member of the tenant (an employee) whose access the file manages; never invited, never deleted. */
    existingMember: (v: unknown) => checkBoolean("existingMember", v),
    /** Entra user properties (givenName, surname, companyName, ...): read and checked, not yet applied. */
    ...profileChecks,
};

export const GUEST_FIELDS = Object.keys(guestFieldChecks) as (keyof typeof guestFieldChecks)[];
export const ALL_GUEST_KEYS = ["email", ...GUEST_FIELDS];

// Fields whose values repeat across rows; free text and identities are checked every time.
const REPEATING = ["redirectUrl", "sendEmail", "language", "userType", "groups", "apps", "expires", "onRemove", "protect", "existingMember", "companyName", "jobTitle", "department", "usageLocation", "manager"] as const;

/** A guest as declared: its identity plus any fields. Unknown keys are errors. */
export const GuestDeclaration = fieldsObject({ email: checkEmail, ...guestFieldChecks }, ["email"], REPEATING);
/** A file's `defaults`: any guest field but `email`. */
export const DefaultsDeclaration = fieldsObject(guestFieldChecks);

export type GuestFields = z.infer<typeof DefaultsDeclaration>;

/** A validated, normalised guest: what every later step works from. */
export interface Guest {
    email: string;
    displayName?: string;
    redirectUrl: string;
    sendEmail: boolean;
    message?: string;
    language?: string;
    cc?: string;
    userType: "Guest" | "Member";
    groups: string[];
    apps: AppAccess[];
    expires?: string;
    onRemove: "delete" | "retain";
    protect: boolean;
    /** The entry names an existing member of the tenant: its access is managed, the user never invited nor deleted. */
    existingMember?: true;
    /** Entra user properties the file gives: read and checked, not yet applied to the user. */
    profile?: Profile;
    source: { file: string; line: number };
}
