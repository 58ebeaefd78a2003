import { GuestPlan, Pending, PlannedResource, plannedResources } from "../../../plan";
import { formatLocation, plural, Roster } from "../../../roster";
import { forTerminal } from "../../../text/escape";
import { problemLine } from "../../shell/output";

export type PlanFormat = "text" | "json";

export interface PlanOutputOptions {
    /** Counts only, no line per resource: 20,000 guests print 360,000 lines otherwise. */
    summary?: boolean;
}

/** What `entra-guests plan` prints: every resource the program would register, offline. */
export function renderPlan(roster: Roster, plan: GuestPlan | undefined, format: PlanFormat, options: PlanOutputOptions = {}): string {
    const errors = [...roster.errors, ...(plan?.errors ?? [])];
    const warnings = [...roster.warnings, ...(plan?.warnings ?? [])];
    const resources = plan && errors.length === 0 ? plannedResources(plan) : [];
    const count = (type: string) => resources.filter((r) => r.type.endsWith(type)).length;
    const counts = { guests: count("GuestUser"), groupMemberships: count("GroupMember"), appRoleAssignments: count("AppRoleAssignment"), lookups: resources.filter((r) => Object.values(r.inputs).some(isLookup)).length };
    if (format === "json") {
        const profiles = Object.fromEntries(roster.guests.filter((g) => g.profile).map((g) => [g.email, g.profile]));
        const listed = options.summary ? { counts } : { resources, ...(Object.keys(profiles).length > 0 ? { profiles } : {}) };
        return JSON.stringify({ ok: errors.length === 0, ...listed, errors, warnings }, null, 2) + "\n";
    }
    const out: string[] = [];
    for (const p of errors) out.push(problemLine(p));
    for (const p of warnings) out.push(problemLine(p, "warning: "));
    if (errors.length > 0) {
        out.push(`${plural(errors.length, "error")}; nothing would be registered, fix the errors and run again`);
        return out.join("\n") + "\n";
    }
    if (out.length > 0 && !options.summary) out.push("");
    // Emails, group and app names and file names come from guest files: one terminal line each.
    const guests = new Map(roster.guests.map((g) => [g.email, g]));
    let email = "";
    for (const r of options.summary ? [] : resources.slice().sort(byGuest)) {
        if (r.email !== email) {
            email = r.email;
            const guest = guests.get(email)!;
            out.push(forTerminal(`${email}  (${formatLocation(guest.source)})`));
            if (guest.profile) out.push(forTerminal(`  user properties, read and not yet applied: ${Object.entries(guest.profile).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}`));
        }
        out.push(`  + ${shortType(r.type)}  ${forTerminal(r.name)}`);
        for (const [key, value] of Object.entries(r.inputs)) out.push(`      ${key}: ${forTerminal(show(value))}`);
        if (r.type.endsWith("GuestUser") && r.inputs.sendEmail === false) out.push("      message: (none: no invitation email is sent)");
        const flags = optionFlags(r);
        if (flags) out.push(`      options: ${flags}`);
    }
    if (!options.summary || out.length > 0) out.push("");
    out.push(
        `Plan: ${plural(counts.guests, "guest user")}, ${plural(counts.groupMemberships, "group membership")}, ${plural(counts.appRoleAssignments, "app role assignment")}` +
            (counts.lookups > 0 ? `; ${plural(counts.lookups, "resource")} wait on directory lookups, done by \`pulumi preview\`` : ""),
        "This is what the program registers; `pulumi preview` shows which of it changes the tenant" + (options.summary ? "; `entra-guests plan` without --summary lists each resource." : "."),
        // Offline, the plan cannot know which addresses already have a user.
        "Guests new to the stack are looked up by `pulumi preview`: an address that already has a user is adopted (no invitation, no mail), and its existing memberships and assignments are imported; see docs/identity.md.",
    );
    return out.join("\n") + "\n";
}

function byGuest(a: PlannedResource, b: PlannedResource): number {
    const order = (r: PlannedResource) => (r.type.endsWith("GuestUser") ? 0 : r.type.endsWith("GroupMember") ? 1 : 2);
    return a.email < b.email ? -1 : a.email > b.email ? 1 : order(a) - order(b) || (a.name < b.name ? -1 : 1);
}

function shortType(type: string): string {
    return type.replace(/^azuread:index\/\w+:/, "azuread.").replace(/^entraguests:index:/, "entraguests.");
}

function isLookup(value: unknown): value is Pending {
    return typeof value === "object" && value !== null && (value as Pending).lookup === true;
}

function show(value: unknown): string {
    if (typeof value === "object" && value !== null && "pending" in value) return `(${(value as Pending).pending})`;
    return JSON.stringify(value);
}

function optionFlags(r: PlannedResource): string {
    const flags: string[] = [];
    if (r.options.protect) flags.push("protect");
    return flags.join(", ");
}
