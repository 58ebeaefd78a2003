// What a file says as a whole rather than per guest: who of its guests is mailed and what
// decided it, and the user properties it carries.
import { Declared, FileDeclarations } from "./read/declared";
import { Problems } from "./problems";
import { Guest } from "./rules/schema";
import { Profile, PROFILE_FIELDS } from "./rules/profile";

/** What decided a guest's mail: its own value, the file's `defaults`, a message given, nothing said, or an existing member (never invited). */
export type MailReason = "entry" | "defaults" | "message" | "unsaid" | "member";

export interface MailSummary {
    mailed: number;
    notMailed: number;
    /** Guests by what decided their mail, in the order of `MailReason`; reasons no guest has are left out. */
    decidedBy: { reason: MailReason; mailed: number; notMailed: number; column?: string }[];
}

export type MailTally = Map<MailReason, { mailed: number; notMailed: number }>;

const REASONS: MailReason[] = ["entry", "defaults", "message", "unsaid", "member"];

export function tallyMail(tally: MailTally, reason: MailReason, mailed: boolean): void {
    const counts = tally.get(reason) ?? { mailed: 0, notMailed: 0 };
    if (mailed) counts.mailed++;
    else counts.notMailed++;
    tally.set(reason, counts);
}

export function mailSummary(d: FileDeclarations, tally: MailTally): MailSummary {
    const decidedBy: MailSummary["decidedBy"] = [];
    for (const reason of REASONS) {
        const counts = tally.get(reason);
        if (!counts) continue;
        const column = reason === "entry" ? d.labels?.sendEmail : undefined;
        decidedBy.push(column === undefined ? { reason, ...counts } : { reason, ...counts, column });
    }
    const sum = (k: "mailed" | "notMailed") => decidedBy.reduce((n, b) => n + b[k], 0);
    return { mailed: sum("mailed"), notMailed: sum("notMailed"), decidedBy };
}

/** The user properties an entry (over its file's `defaults`) gives, or nothing. */
export function profileOf(row: Partial<Profile>, defaults: Partial<Profile>): Profile | undefined {
    let profile: Profile | undefined;
    for (const field of PROFILE_FIELDS) {
        const value = row[field] ?? defaults[field];
        if (value !== undefined) (profile ??= {})[field] = value;
    }
    return profile;
}

/** The tools whose files these formats are, and that mailed every guest they invited. */
const MAILING_TOOLS: Record<string, string> = {
    powershell: "the PowerShell bulk-invite tutorial's script invites with -SendInvitationMessage $true",
    "legacy-b2b": "the 2016 Azure AD B2B invitation service mailed every guest of such a file",
};

/** One warning per file for what it says as a whole. */
export function reportFileWide(d: FileDeclarations, guests: Guest[], tally: MailTally, problems: Problems): void {
    const unsaid = tally.get("unsaid")?.notMailed ?? 0;
    const tool = MAILING_TOOLS[d.format];
    if (tool && unsaid > 0) {
        problems.warn(
            d.header ?? { file: d.file },
            `${tool}, but ${unsaid === guests.length ? "no guest of this file has" : `${unsaid} of its ${guests.length} guests ${unsaid === 1 ? "has" : "have"} no`} ` +
                `${unsaid === guests.length ? "a sendEmail or SendInvitationMessage value or a message, so nobody is mailed" : `sendEmail or SendInvitationMessage value and no message, so ${unsaid === 1 ? "it gets" : "they get"} no invitation mail`}; ` +
                "add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
        );
    }
    const given = PROFILE_FIELDS.filter((f) => guests.some((g) => g.profile?.[f] !== undefined));
    if (given.length === 0) return;
    const first = firstSetting(d, given);
    problems.warn(
        first ?? d.header ?? { file: d.file },
        `this file gives the user properties ${given.join(", ")}: they are read, checked and shown (validate --format json, plan, diff) ` +
            "but not yet applied to the guests' users; keep them for when they are, or delete them to silence this warning",
    );
}

/** Where the file first sets one of `fields`: its `defaults`, else its first entry that does. */
function firstSetting(d: FileDeclarations, fields: readonly string[]) {
    const entries: Declared[] = [...(d.defaults ? [d.defaults] : []), ...d.guests];
    for (const e of entries) {
        const field = fields.find((f) => e.values[f] !== undefined && e.values[f] !== "");
        if (field) return e.locate([field], true);
    }
    return undefined;
}
