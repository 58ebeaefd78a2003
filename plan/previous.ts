import { createHash } from "crypto";
import { plural, quote } from "../roster/problems";
import { GuestPlan, InvitationInputs, InvitationSpec } from "./types";

/**
 * What a deployment publishes about each guest it manages (stack output `managedGuests`), so
 * that the next run can compare: what its removal does, a fingerprint of the invite-time inputs
 * (which the program cannot apply to an existing guest), whose user it is, and a fingerprint of
 * the access the files give.
 */
export interface ManagedGuest {
    /** What removing the guest does with its user, as the run that published this would do it. */
    onRemove: "delete" | "retain";
    invite: string;
    /** The user's object ID, once known. */
    userId?: string;
    /**
     * Whose user it is: created by the stack's own invitation, adopted (it existed before), or an
     * existing member whose access the files manage. Absent while a run that invited it has not
     * finished: its GuestUser's state (provider/) knows, the baseline does not yet.
     */
    owner?: Owner;
    /** A fingerprint of the guest's groups and app roles (`accessFingerprint`). */
    access?: string;
    /** No longer declared: deleted by the run that published this, or still there if it failed. */
    removing?: true;
    /**
     * An `azuread.Invitation` of an earlier version is in the state for this guest, and its delete
     * would delete the user: registered as a retained stand-in until a run that did so finishes
     * (plan/legacy.ts).
     */
    legacyInvitation?: true;
    /**
     * Written by versions that kept the user in an azuread.Invitation: read for the state
     * migration (plan/legacy.ts) and, `reinvite`, `provisional` and `leaving`, by the removal
     * guard (`checkRemovals`).
     */
    adopted?: true;
    invitation?: true;
    reinvite?: "prepared";
    provisional?: true;
    leaving?: true;
}

export type Owner = "stack" | "adopted" | "member";

export type ManagedGuests = Record<string, ManagedGuest>;

/**
 * The `managedGuests` output as published: one JSON text of the map, keys sorted. As a map,
 * every guest's entry would be a protobuf Struct of its own, built and sent twice a run (before
 * the first registration and when the program returns): at 10,000 guests `npm run bench:outputs`
 * measured 0.34 s a publication for the map and 0.05 s for the text (medians). Stacks made by an
 * earlier version hold the map itself; `parseManagedGuests` reads both.
 */
export function serializeManagedGuests(guests: ManagedGuests): string {
    const sorted: ManagedGuests = {};
    for (const email of Object.keys(guests).sort()) sorted[email] = canonical(guests[email]);
    return JSON.stringify(sorted);
}

/** Every entry's keys in one order, so that the same baseline is the same text and a preview shows no change. */
const ENTRY_KEYS: (keyof ManagedGuest)[] = ["onRemove", "invite", "userId", "owner", "access", "removing", "legacyInvitation", "adopted", "invitation", "reinvite", "provisional", "leaving"];

function canonical(entry: ManagedGuest): ManagedGuest {
    const out: Record<string, unknown> = {};
    for (const k of ENTRY_KEYS) if (entry[k] !== undefined) out[k] = entry[k];
    return out as unknown as ManagedGuest;
}

/**
 * A `managedGuests` output as read back from a file or a stack: each entry checked, so that a
 * hand-edited or truncated file is refused instead of failing deep in the removal guard.
 * `problem` completes "FILE ...": what is wrong and the value. The output is the map's JSON text,
 * or the map itself in a stack an earlier version deployed: both are read.
 */
export function parseManagedGuests(output: unknown): { ok: true; guests: ManagedGuests } | { ok: false; problem: string } {
    let value = output;
    if (typeof output === "string") {
        try {
            value = JSON.parse(output);
        } catch {
            return { ok: false, problem: `holds a string that is not JSON (got ${quote(output)})` };
        }
        if (typeof value === "string") return { ok: false, problem: `is not a mapping of guest emails (got ${quote(value)})` };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { ok: false, problem: `is not a mapping of guest emails (got ${quote(value)})` };
    }
    const entries: [string, ManagedGuest][] = [];
    for (const [email, entry] of Object.entries(value)) {
        const e = entry as Partial<ManagedGuest> | null;
        const flag = (v: unknown) => v === undefined || v === true;
        const text = (v: unknown) => v === undefined || typeof v === "string";
        if (
            e === null ||
            typeof e !== "object" ||
            Array.isArray(e) ||
            (e.onRemove !== "delete" && e.onRemove !== "retain") ||
            typeof e.invite !== "string" ||
            !text(e.userId) ||
            !text(e.access) ||
            (e.owner !== undefined && e.owner !== "stack" && e.owner !== "adopted" && e.owner !== "member") ||
            !flag(e.adopted) ||
            !flag(e.invitation) ||
            !flag(e.removing) ||
            !flag(e.legacyInvitation) ||
            !flag(e.provisional) ||
            !flag(e.leaving) ||
            (e.reinvite !== undefined && e.reinvite !== "prepared")
        ) {
            return { ok: false, problem: `has an entry for ${email} that is not { "onRemove": "delete" or "retain", "invite": "...", "userId"?: "...", "owner"?: "stack", "adopted" or "member", "access"?: "...", "removing"?: true } (got ${quote(entry)})` };
        }
        entries.push([
            email,
            {
                onRemove: e.onRemove,
                invite: e.invite,
                ...(e.userId !== undefined ? { userId: e.userId } : {}),
                ...(e.owner !== undefined ? { owner: e.owner } : {}),
                ...(e.access !== undefined ? { access: e.access } : {}),
                ...(e.removing ? { removing: true as const } : {}),
                ...(e.legacyInvitation ? { legacyInvitation: true as const } : {}),
                ...(e.adopted ? { adopted: true as const } : {}),
                ...(e.invitation ? { invitation: true as const } : {}),
                ...(e.reinvite ? { reinvite: "prepared" as const } : {}),
                ...(e.provisional ? { provisional: true as const } : {}),
                ...(e.leaving ? { leaving: true as const } : {}),
            },
        ]);
    }
    // fromEntries defines keys as data: an email key "__proto__" cannot reach the prototype.
    return { ok: true, guests: Object.fromEntries(entries) };
}

/** A short, stable digest of the invite-time inputs. */
export function fingerprint(inputs: InvitationInputs): string {
    const canonical = JSON.stringify([inputs.userEmailAddress, inputs.userDisplayName ?? null, inputs.redirectUrl, inputs.userType, inputs.message ?? null]);
    return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

export interface RemovalSettings {
    maxRemovals: number;
    confirmRemovals: number;
}

export interface RemovalReport {
    /** Guest users the run deletes: declared before, not now (removed or expired), not retained. */
    deleted: string[];
    /** Guests the run stops managing but leaves in the directory. */
    retained: string[];
    error?: string;
    warnings: string[];
}

/**
 * The removal guard. Compares the guests of the last deployment with the plan: more deletions
 * than `maxRemovals` fail unless `confirmRemovals` is exactly their number, so a confirmation
 * given for 12 does not let 50 through. No previous deployment: nothing to compare.
 */
export function checkRemovals(
    previous: ManagedGuests | undefined,
    plan: Pick<GuestPlan, "invitations">,
    settings: RemovalSettings,
    stillPresent: ReadonlySet<string> = new Set(),
    gone: ReadonlySet<string> = new Set(),
): RemovalReport {
    const report: RemovalReport = { deleted: [], retained: [], warnings: [] };
    if (!previous) return report;
    const now = new Set(plan.invitations.map((i) => i.email));
    for (const [email, before] of Object.entries(previous).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (now.has(email)) continue;
        // Deleted by an earlier run: counted again only while its user is still there (that run failed).
        if (before.removing && !stillPresent.has(email)) continue;
        // Its user was deleted outside the stack: dropping it deletes nothing.
        if (gone.has(email) || before.reinvite) continue;
        // Provisional (an earlier version's entry): its Invitation is retained, so this run deletes
        // nothing, unless that version marked it `leaving`.
        if (before.provisional && !before.leaving) continue;
        // The engine deletes a resource with the options it was deployed with, so the
        // previous deployment's onRemove decides, not the current file.
        (before.onRemove === "retain" ? report.retained : report.deleted).push(email);
    }
    const n = report.deleted.length;
    const list = report.deleted.join(", ");
    const confirm = settings.confirmRemovals;
    if (n > settings.maxRemovals && confirm !== n) {
        const why = confirm === 0 ? `more than \`entra-guests:maxRemovals\` (${settings.maxRemovals}) allows` : `but \`entra-guests:confirmRemovals\` is ${confirm}`;
        report.error =
            `this run would delete ${plural(n, "guest user")}, ${why}: ${list}. Nothing was changed. ` +
            `If the pull request really removes them, confirm the exact number once: \`pulumi config set entra-guests:confirmRemovals ${n}\`, run again, then \`pulumi config rm entra-guests:confirmRemovals\`; ` +
            "otherwise restore the removed entries (or set `onRemove: retain` on a deployed guest first to keep its user)";
    } else if (confirm !== 0 && confirm !== n) {
        report.warnings.push(`\`entra-guests:confirmRemovals\` is ${confirm} but this run deletes ${plural(n, "guest user")}; remove the setting with \`pulumi config rm entra-guests:confirmRemovals\``);
    }
    return report;
}

/** Guests whose invite-time inputs changed since the last deployment: no effect on them. */
export function inviteTimeEdits(previous: ManagedGuests | undefined, invitations: InvitationSpec[]): string[] {
    if (!previous) return [];
    return invitations.filter((i) => previous[i.email] !== undefined && previous[i.email].invite !== fingerprint(i.inputs)).map((i) => i.email);
}
