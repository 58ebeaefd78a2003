import { z } from "zod";
import {
    AppAccess,
    checkApps,
    checkBoolean,
    checkCc,
    checkDate,
    checkEmail,
    checkGroups,
    checkLanguage,
    checkOnRemove,
    checkRedirectUrl,
    checkText,
    checkUserType,
    Checked,
} from "./fields";

/** A warning of a field check; zod knows only failures, so warnings go beside the parse. */
export interface FieldWarning {
    field: string;
    message: string;
}

let warningSink: FieldWarning[] | undefined;

/** A zod field whose parsing and messages are one of our checks; `.optional()` for absent keys. */
function field<T>(name: string, check: (value: unknown) => Checked<T>) {
    return z.unknown().transform((value, ctx): T => {
        const result = check(value);
        if (!result.ok) {
            ctx.addIssue({ code: "custom", message: result.message, input: value });
            return z.NEVER;
        }
        for (const message of result.warnings ?? []) warningSink?.push({ field: name, message });
        return result.value;
    });
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

/** Every field a guest may set, except its identity. Also the shape of `defaults`. */
export const guestFieldShape = {
    /** Shown in the directory; Graph takes up to 256 characters. */
    displayName: field("displayName", (v) => checkText("displayName", v, 256)).optional(),
    /** Where the guest lands after redeeming; absolute http(s). */
    redirectUrl: field("redirectUrl", checkRedirectUrl).optional(),
    /** Send Microsoft's invitation email; defaults to true when a message is given. */
    sendEmail: field("sendEmail", (v) => checkBoolean("sendEmail", v)).optional(),
    /** A custom invitation message (plain text; Graph does not render HTML). */
    message: field("message", (v) => checkText("message", v)).optional(),
    /** Language of Microsoft's invitation email; ignored when a message is given. */
    language: field("language", checkLanguage).optional(),
    /** One address that gets a copy of the invitation. */
    cc: field("cc", checkCc).optional(),
    /** Guest, or Member (an invited member). */
    userType: field("userType", checkUserType).optional(),
    /** Groups by object ID or display name. */
    groups: field("groups", checkGroups).optional(),
    /** App access: client ID or display name, with an optional role. */
    apps: field("apps", checkApps).optional(),
    /** Last day of access, YYYY-MM-DD. */
    expires: field("expires", (v) => checkDate("expires", v)).optional(),
    /** What removing the declaration does to the guest user: delete it, or retain it. */
    onRemove: field("onRemove", checkOnRemove).optional(),
    /** Refuse any delete of this guest user, replacement included, until unprotected. */
    protect: field("protect", (v) => checkBoolean("protect", v)).optional(),
};

export const GUEST_FIELDS = Object.keys(guestFieldShape) as (keyof typeof guestFieldShape)[];
export const ALL_GUEST_KEYS = ["email", ...GUEST_FIELDS];

/** A guest as declared: its identity plus any fields. Unknown keys are errors. */
export const GuestDeclaration = z.strictObject({ email: field("email", checkEmail), ...guestFieldShape });
/** A file's `defaults`: any guest field but `email`. */
export const DefaultsDeclaration = z.strictObject(guestFieldShape);

export type GuestFields = z.infer<typeof DefaultsDeclaration>;
export type GuestDeclarationValue = z.infer<typeof GuestDeclaration>;

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
    source: { file: string; line: number };
}
