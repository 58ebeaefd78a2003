/**
 * The CSV dialects teams already have, told apart by their header row (REFERENCE.md section 1).
 * Each maps its column names to our guest fields.
 */
export type CsvFormatName = "portal" | "legacy-b2b" | "powershell" | "native-csv";

/** Portal template: columns keyed on the bracketed property name, whatever the language. */
export const PORTAL_PROPERTIES: Record<string, string> = {
    inviteeemail: "email",
    inviteredirecturl: "redirectUrl",
    sendemail: "sendEmail",
    customizedmessagebody: "message",
};

/** Both 2016 Azure AD B2B variants (February and May). */
export const LEGACY_COLUMNS: Record<string, string> = {
    email: "email",
    displayname: "displayName",
    inviteredirecturl: "redirectUrl",
    invitereplyurl: "redirectUrl",
    invitegroupresources: "groups",
    invitedtogroups: "groups",
    inviteappresources: "apps",
    invitedtoapplications: "apps",
    invitationtext: "message",
    ccemailaddress: "cc",
    language: "language",
};

/** Legacy columns with no Graph equivalent: accepted, and said to be ignored. */
export const LEGACY_IGNORED: Record<string, string> = {
    invitecontactusurl: "Graph invitations have no contact-us link",
    inviteappid: "it only branded the 2016 invitation page; Graph has no equivalent",
};

/** Microsoft's PowerShell bulk-invite tutorial and its common variants. */
export const POWERSHELL_COLUMNS: Record<string, string> = {
    inviteduseremailaddress: "email",
    inviteduserdisplayname: "displayName",
    name: "displayName",
    message: "message",
    redirecturl: "redirectUrl",
};

/** Our own CSV: one column per guest field. */
export const NATIVE_COLUMNS: Record<string, string> = {
    email: "email",
    displayname: "displayName",
    redirecturl: "redirectUrl",
    sendemail: "sendEmail",
    message: "message",
    language: "language",
    cc: "cc",
    usertype: "userType",
    groups: "groups",
    apps: "apps",
    expires: "expires",
    onremove: "onRemove",
    protect: "protect",
};

export const NATIVE_HEADER = ["email", "displayName", "redirectUrl", "sendEmail", "message", "language", "cc", "userType", "groups", "apps", "expires", "onRemove", "protect"];

const BRACKET = /\[([A-Za-z]+)\]/;

/** The bracketed property of a portal header label, lower-cased. */
export function portalProperty(label: string): string | undefined {
    const m = BRACKET.exec(label);
    return m ? m[1].toLowerCase() : undefined;
}

/** Header names compare case-insensitively, trimmed, ignoring inner spaces ("Display Name"). */
export function columnKey(label: string): string {
    return label.trim().toLowerCase().replace(/[\s_]+/g, "");
}

export function detectFormat(header: string[]): CsvFormatName | undefined {
    const keys = header.map(columnKey);
    if (header.some((h) => portalProperty(h) !== undefined)) return "portal";
    if (keys.includes("inviteduseremailaddress")) return "powershell";
    const legacyOnly = Object.keys(LEGACY_COLUMNS).filter((k) => !(k in NATIVE_COLUMNS));
    if (keys.some((k) => legacyOnly.includes(k) || k in LEGACY_IGNORED)) return "legacy-b2b";
    if (keys.includes("email")) return "native-csv";
    return undefined;
}
