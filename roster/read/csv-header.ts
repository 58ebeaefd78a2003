/**
 * What to say about a header row that is not one we read: the cell meant as the email column
 * (a typo, its name in another language, a column of user principal names), or a whole portal
 * template meant for something else than invitations. Every label is the file's text: quoted.
 */
import { isUserPrincipalName, portalProperty } from "./csv-formats";
import { addressOfGuestUpn } from "./guest-upn";
import { quote } from "../problems";
import { distance } from "../suggest";

/** A header cell to report at, and the message. */
export interface HeaderHint {
    index: number;
    message: string;
}

/** A label compared across languages: case, white space, dashes, underscores and accents folded. */
export function headerKey(label: string): string {
    return label.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[\s\p{Pd}_]+/gu, "");
}

/** What teams call the address column, in the languages the portal ships its template in. */
const EMAIL_NAMES = new Set(
    [
        // English, and the other formats' names for it outside their own format.
        "Email", "E-mail", "EmailAddress", "Email Address", "E-mail Address", "Mail", "Mail Address", "inviteeEmail", "InvitedUserEmailAddress",
        // German, French, Spanish, Portuguese, Italian, Dutch.
        "E-Mail-Adresse", "Mailadresse", "Courriel", "Adresse e-mail", "Adresse courriel", "Adresse mail", "Adresse électronique", "Adresse de messagerie",
        "Correo", "Correo electrónico", "Dirección de correo", "Dirección de correo electrónico", "Endereço de e-mail", "Correio eletrónico", "Correio eletrônico",
        "Indirizzo email", "Indirizzo di posta elettronica", "Posta elettronica", "E-mailadres", "Mailadres",
        // Nordic, Finnish, Polish, Czech, Hungarian, Turkish.
        "E-post", "E-postadress", "E-postadresse", "E-mailadresse", "Sähköposti", "Sähköpostiosoite", "Adres e-mail", "E-mailová adresa", "E-mail cím", "E-posta", "E-posta adresi",
        // Russian, Ukrainian, Japanese, Chinese, Korean.
        "Почта", "Электронная почта", "Адрес электронной почты", "Пошта", "Електронна пошта", "メール", "メールアドレス", "電子メール", "电子邮件", "邮箱", "電子郵件", "이메일", "이메일 주소",
    ].map(headerKey),
);

/** The address suffix looked past in a misspelt name ("Emial Address", "E-Mail-Adresse"). */
function lettersBeforeAddress(label: string): string {
    return label.toLowerCase().replace(/[^a-z]/g, "").replace(/(ad+res+e?s?|addr)$/, "");
}

/** "emial", "e-mail", "Emial Address", "E-Mail-Adresse": a header cell misspelling `email`. */
export function looksLikeEmail(label: string): boolean {
    const letters = lettersBeforeAddress(label);
    return letters.length >= 3 && distance(letters, "email") <= 1;
}

/** "InvitedUserEmail", "InvitedUserEmailAdress", "InviteUserEmailAddress": PowerShell's column, misspelt. */
function looksLikePowerShellEmail(label: string): boolean {
    return distance(lettersBeforeAddress(label), "inviteduseremail") <= 2;
}

/** The message for a header cell meant as the email column, if `label` reads like one. */
export function emailColumnHint(label: string): string | undefined {
    if (looksLikeEmail(label) || EMAIL_NAMES.has(headerKey(label))) {
        return `the header row names no email column (got ${quote(label)}); did you mean \`email\`? rename the column to email`;
    }
    // The rest of such a header is PowerShell's (Name, InvitedUserDisplayName): `email` would make it a native file.
    if (looksLikePowerShellEmail(label)) {
        return `the header row names no email column (got ${quote(label)}); did you mean \`InvitedUserEmailAddress\`? rename the column to InvitedUserEmailAddress`;
    }
    return undefined;
}

/** Whether a label, in a header without an email column, is the cell that column's error goes to. */
export function standsForEmail(label: string): boolean {
    return emailColumnHint(label) !== undefined || isUserPrincipalName(label);
}

/**
 * Where and why a header has no email column, at the cell likely meant as one (an email-like
 * name first, then a column of user principal names); undefined when no cell is. `firstRow`
 * is the first data row, whose UPN is decoded when it has a guest's #EXT# form.
 */
export function missingEmailHint(header: string[], firstRow: string[] | undefined, used: (index: number) => boolean = () => false): HeaderHint | undefined {
    const email = header.findIndex((label, i) => !used(i) && emailColumnHint(label) !== undefined);
    if (email !== -1) return { index: email, message: emailColumnHint(header[email]) as string };
    const upn = header.findIndex((label, i) => !used(i) && isUserPrincipalName(label));
    if (upn === -1) return undefined;
    const value = firstRow?.[upn] ?? "";
    const address = addressOfGuestUpn(value);
    const example = address === undefined ? "" : ` (${quote(value.trim())} stands for ${quote(address)})`;
    return {
        index: upn,
        message:
            `the header row names no email column, and column ${quote(header[upn])} holds user principal names, not invitation addresses${example}; ` +
            "add an email column with each guest's address, or rename this column to email and write each guest's address in it",
    };
}

/** The portal's "Bulk create users" properties that only a user being created has. */
const CREATE_MARKS = ["userPrincipalName", "passwordProfile", "accountEnabled"];
const CREATE_PROFILE = [
    "givenName", "surname", "jobTitle", "department", "usageLocation", "streetAddress", "state", "country",
    "physicalDeliveryOfficeName", "city", "postalCode", "telephoneNumber", "mobile",
];
const INVITE_INSTEAD = "entra-guests reads the \"Bulk invite users\" template";
const START = "start from `entra-guests template --format portal`";

/**
 * The error for a bracketed header that is the portal's "Bulk create users" or "Bulk delete
 * users" template rather than "Bulk invite users": the whole file is the wrong template, so
 * one error at the header row says so instead of a warning for each of its columns.
 */
export function otherPortalTemplate(header: string[]): string | undefined {
    const properties = new Set(header.map(portalProperty).filter((p) => p !== undefined));
    if (properties.size === 0 || properties.has("inviteeemail")) return undefined;
    const present = (names: string[]) => names.filter((name) => properties.has(name.toLowerCase()));
    const marks = present(CREATE_MARKS);
    const profile = present(CREATE_PROFILE);
    const upn = properties.has("userprincipalname");
    if (marks.some((m) => m !== "userPrincipalName") || (upn && profile.length > 0)) {
        const has = marks.length > 1 || !upn ? marks : [...marks, profile[0]];
        return (
            `this is the portal's "Bulk create users" template (it has ${andList(has.map((p) => `[${p}]`))}), which creates member users with passwords, not invitations; ` +
            `${INVITE_INSTEAD}: ${START} and copy the guests' addresses into its [inviteeEmail] column`
        );
    }
    if (upn && properties.size === 1) {
        return (
            `this is the portal's "Bulk delete users" template (its only property is [userPrincipalName]), which deletes users, not invitations; ` +
            `${INVITE_INSTEAD}, and deletes a guest when its row is removed from the file: ${START} and put the guests' addresses in its [inviteeEmail] column`
        );
    }
    return undefined;
}

/** "a", "a and b", "a, b and c". */
function andList(items: string[]): string {
    return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
