// `entra-guests adopt --group ... --app ...`: each name or ID on the command line -> exactly one
// group or service principal, or a message in the words of the program's lookup errors
// (plan/lookup-errors.ts): what failed, then what to do.
import type { AdoptionReads } from "../../../graph/adoption-reads";
import { isGuid } from "../../../roster";
import type { ResolvedApp, ResolvedGroup } from "./entries";

export interface Resolution<T> {
    resolved: T[];
    /** One line per name or ID that names no single object. */
    problems: string[];
    notes: string[];
}

/** `--group`: an object ID, or a display name exactly one group has. The same group twice is read once. */
export async function resolveGroups(refs: string[], reads: AdoptionReads): Promise<Resolution<ResolvedGroup>> {
    const out: Resolution<ResolvedGroup> = { resolved: [], problems: [], notes: [] };
    for (const raw of refs) {
        const ref = isGuid(raw) ? raw.toLowerCase() : raw;
        let group: { id: string; displayName: string } | undefined;
        if (isGuid(ref)) {
            group = await reads.groupById(ref);
            if (!group) out.problems.push(`--group ${ref}: no group has this object ID; check the ID (the group's Overview page in the Entra admin center shows it)`);
        } else {
            const found = await reads.groupsByDisplayName(ref);
            if (found.length === 0) out.problems.push(`--group ${JSON.stringify(ref)}: no group has this display name; check the name, or give the group's object ID`);
            else if (found.length > 1) {
                const ids = found.map((g) => g.id).sort();
                out.problems.push(`--group ${JSON.stringify(ref)}: ${found.length} groups have this display name (${ids.join(", ")}); give the object ID of the group you mean, like --group ${ids[0]}`);
            } else group = found[0];
        }
        if (!group) continue;
        const before = out.resolved.find((g) => g.id.toLowerCase() === group!.id.toLowerCase());
        if (before) {
            out.notes.push(`--group ${JSON.stringify(ref)} is the group ${JSON.stringify(before.ref)} again; written as ${JSON.stringify(before.ref)}`);
            continue;
        }
        // data.azuread_group cannot look up a name with an apostrophe (plan/lookup-errors.ts): the file names it by ID.
        const written = !isGuid(ref) && ref.includes("'") ? group.id.toLowerCase() : ref;
        if (written !== ref) out.notes.push(`group ${JSON.stringify(ref)} is written by its object ID ${written}: the azuread provider cannot look up a group name with an apostrophe`);
        out.resolved.push({ ref: written, id: group.id, displayName: group.displayName });
    }
    return out;
}

/** `--app`: a client ID, or a display name exactly one service principal has. */
export async function resolveApps(refs: string[], reads: AdoptionReads): Promise<Resolution<ResolvedApp>> {
    const out: Resolution<ResolvedApp> = { resolved: [], problems: [], notes: [] };
    for (const raw of refs) {
        const byClientId = isGuid(raw);
        const ref = byClientId ? raw.toLowerCase() : raw;
        const found = await reads.servicePrincipals(byClientId ? { clientId: ref } : { displayName: ref });
        const by = byClientId ? "client ID" : "display name";
        const shown = byClientId ? ref : JSON.stringify(ref);
        if (found.length === 0) {
            out.problems.push(`--app ${shown}: no service principal has this ${by}; check the app's ${byClientId ? "client ID" : "name"}, and that it has an enterprise application in this tenant`);
        } else if (found.length > 1) {
            out.problems.push(`--app ${shown}: ${found.length} service principals have this ${by}; give the app's client ID instead`);
        } else if (out.resolved.some((a) => a.principal.id === found[0].id)) {
            out.notes.push(`--app ${shown} names an app given before; read once`);
        } else {
            out.resolved.push({ ref, principal: found[0] });
        }
    }
    return out;
}
