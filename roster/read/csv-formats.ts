/**
 * The CSV dialects teams already have, told apart by their header row (REFERENCE.md section 1).
 * Each maps its column names to our guest fields. Every lookup is by own property: a column
 * named "constructor" or "__proto__" must not find Object.prototype.
 */
export type CsvFormatName = "portal" | "legacy-b2b" | "powershell" | "native-csv";

/** A column a format knows: its name as written in messages, the guest field it feeds, its rank. */
export interface KnownColumn {
    name: string;
    field: string;
    /** 1 for a fallback that fills the field only when the preferred column is empty (PowerShell's Name). */
    rank: number;
}

/** Portal template: columns keyed on the bracketed property name, whatever the language. */
const PORTAL_PROPERTIES = table([
    ["inviteeEmail", "email"],
    ["inviteRedirectURL", "redirectUrl"],
    ["sendEmail", "sendEmail"],
    ["customizedMessageBody", "message"],
]);

/** Both 2016 Azure AD B2B variants (February and May). */
const LEGACY_COLUMNS = table([
    ["Email", "email"],
    ["DisplayName", "displayName"],
    ["InviteRedirectURL", "redirectUrl"],
    ["InviteReplyURL", "redirectUrl"],
    ["InviteGroupResources", "groups"],
    ["InvitedToGroups", "groups"],
    ["InviteAppResources", "apps"],
    ["InvitedToApplications", "apps"],
    ["InvitationText", "message"],
    ["CcEmailAddress", "cc"],
    ["Language", "language"],
]);

/** Legacy columns with no Graph equivalent: accepted, and said to be ignored. */
const LEGACY_IGNORED = new Map<string, string>([
    ["invitecontactusurl", "Graph invitations have no contact-us link"],
    ["inviteappid", "it only branded the 2016 invitation page; Graph has no equivalent"],
]);

/**
 * Columns other exports carry (an HR list, Graph's user export) that no guest field takes: in
 * every format, beside an email column, they are said to be unused, never refused.
 */
const UPN_UNUSED = "Graph gives each guest its own user principal name, and the invitation goes to the email column";
const KNOWN_UNUSED = new Map<string, string>([
    ["userprincipalname", UPN_UNUSED],
    ["upn", UPN_UNUSED],
]);

/** Microsoft's PowerShell bulk-invite tutorial and its common variants. */
const POWERSHELL_COLUMNS = table([
    ["InvitedUserEmailAddress", "email"],
    ["InvitedUserDisplayName", "displayName"],
    ["Name", "displayName", 1],
    ["Message", "message"],
    ["RedirectUrl", "redirectUrl"],
]);

export const NATIVE_HEADER = ["email", "displayName", "redirectUrl", "sendEmail", "message", "language", "cc", "userType", "groups", "apps", "expires", "onRemove", "protect", "existingMember"];

/** The Entra user properties a guest file may carry (HR exports do): read and checked, not yet applied. */
export const PROFILE_FIELDS = ["givenName", "surname", "companyName", "jobTitle", "department", "usageLocation", "manager"] as const;

/** Our own CSV: one column per guest field and user property. */
const NATIVE_COLUMNS = table([...NATIVE_HEADER, ...PROFILE_FIELDS].map((f) => [f, f]));

/**
 * The parameter names of `New-MgInvitation` and `New-AzureADMSInvitation`, which scripts pass a
 * CSV's columns to unchanged: read with their meaning in every format, since each one decides
 * who is mailed, what they are sent or what they get. `InvitedUserMessageInfo`'s parts are read
 * under their own names and as `InvitedUserMessageInfo.<part>`.
 */
const CMDLET_COLUMNS = table([
    ["InvitedUserEmailAddress", "email"],
    ["InvitedUserDisplayName", "displayName"],
    ["InviteRedirectUrl", "redirectUrl"],
    ["SendInvitationMessage", "sendEmail"],
    ["InvitedUserType", "userType"],
    ["CustomizedMessageBody", "message"],
    ["InvitedUserMessageInfo.CustomizedMessageBody", "message"],
    ["MessageLanguage", "language"],
    ["InvitedUserMessageInfo.MessageLanguage", "language"],
    ["CcRecipients", "cc"],
    ["InvitedUserMessageInfo.CcRecipients", "cc"],
]);

/** The user properties under the header names HR exports and scripts give them. */
const PROFILE_COLUMNS = table([
    ["FirstName", "givenName"],
    ["First Name", "givenName"],
    ["Forename", "givenName"],
    ["LastName", "surname"],
    ["Last Name", "surname"],
    ["FamilyName", "surname"],
    ["Company", "companyName"],
    ["Organization", "companyName"],
    ["Organisation", "companyName"],
    ["Title", "jobTitle"],
    ["Job Title", "jobTitle"],
    ["Dept", "department"],
    ["ManagerEmail", "manager"],
    ["ManagerUPN", "manager"],
    ["ManagerId", "manager"],
]);

/**
 * What a header label feeds in a format. A column that names a guest field is honoured in
 * every format, by our name or a legacy one: ignoring `expires` or `onRemove` with a
 * warning would invite an expired guest or delete a "retain" one.
 */
export function knownColumn(format: CsvFormatName, label: string): KnownColumn | undefined {
    if (format === "portal") {
        const property = portalProperty(label);
        if (property !== undefined) return PORTAL_PROPERTIES.get(property) ?? NATIVE_COLUMNS.get(property);
    }
    const key = columnKey(label);
    return (format === "powershell" ? POWERSHELL_COLUMNS.get(key) : undefined) ?? NATIVE_COLUMNS.get(key) ?? CMDLET_COLUMNS.get(key) ?? LEGACY_COLUMNS.get(key) ?? PROFILE_COLUMNS.get(key);
}

/** The guest field another tool's name stands for (`SendInvitationMessage`, `FirstName`), if any. */
export function fieldForName(name: string): string | undefined {
    const key = columnKey(name);
    // Our own names in another spelling get a "did you mean" instead.
    if (NATIVE_COLUMNS.has(key)) return undefined;
    return (CMDLET_COLUMNS.get(key) ?? PROFILE_COLUMNS.get(key) ?? LEGACY_COLUMNS.get(key) ?? POWERSHELL_COLUMNS.get(key))?.field;
}

/** Whether a field is a user property (read, not yet applied) rather than a guest field. */
export function isProfileField(field: string): boolean {
    return (PROFILE_FIELDS as readonly string[]).includes(field);
}

/** Why a legacy column Graph has no use for is ignored, if `label` is one. */
export function ignoredLegacyColumn(label: string): string | undefined {
    return LEGACY_IGNORED.get(columnKey(label));
}

/** Why a column other exports carry is not used, if `label` is one. */
export function unusedColumn(label: string): string | undefined {
    return KNOWN_UNUSED.get(exportKey(label));
}

/** "UserPrincipalName", "UPN", "User name [userPrincipalName]": a column of user principal names. */
export function isUserPrincipalName(label: string): boolean {
    const key = exportKey(label);
    return key === "userprincipalname" || key === "upn";
}

/** Another export's column: a portal label by its [property], any other without spaces or hyphens. */
function exportKey(label: string): string {
    return portalProperty(label) ?? columnKey(label).replace(/-/g, "");
}

/** The names a misspelt column may have meant, in a format: ours first, then its own. */
export function columnNames(format: CsvFormatName): string[] {
    const own = format === "powershell" ? POWERSHELL_COLUMNS : format === "legacy-b2b" ? LEGACY_COLUMNS : undefined;
    return [...NATIVE_HEADER, ...PROFILE_FIELDS, ...[...CMDLET_COLUMNS.values()].map((c) => c.name), ...(own ? [...own.values()].map((c) => c.name) : [])];
}

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

/**
 * The format of a header row. Legacy only when a legacy-only column is there and none of ours
 * or the cmdlets' is: one legacy name in a native file does not switch the file to legacy.
 */
export function detectFormat(header: string[]): CsvFormatName | undefined {
    const keys = header.map(columnKey);
    if (header.some((h) => portalProperty(h) !== undefined)) return "portal";
    if (keys.includes("inviteduseremailaddress")) return "powershell";
    const legacyOnly = keys.some((k) => (LEGACY_COLUMNS.has(k) && !NATIVE_COLUMNS.has(k)) || LEGACY_IGNORED.has(k));
    const nativeOnly = keys.some((k) => (NATIVE_COLUMNS.has(k) || CMDLET_COLUMNS.has(k)) && !LEGACY_COLUMNS.has(k));
    if (legacyOnly && !nativeOnly) return "legacy-b2b";
    if (keys.includes("email")) return "native-csv";
    return undefined;
}

function table(rows: (readonly [string, string, number?])[]): Map<string, KnownColumn> {
    return new Map(rows.map(([name, field, rank]) => [columnKey(name), { name, field, rank: rank ?? 0 }]));
}
