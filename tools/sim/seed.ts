import { randomUUID } from "crypto";
import { Guest, isGuid } from "../../roster";
import { Tenant } from "./tenant/format";

/** What `seedFromGuests` added, for the sim's first lines. */
export interface SeedReport {
    groups: string[];
    apps: string[];
    roles: string[];
}

/**
 * Adds to the tenant every group, app and role the guests refer to that it lacks, so the
 * sample files (or a team's own) deploy without a hand-written seed: a group named by display
 * name gets that name, one named by object ID gets that ID; an app named by client ID gets that
 * client ID; each role value becomes an app role (a role written as an ID keeps the ID).
 */
export function seedFromGuests(tenant: Tenant, guests: Guest[]): SeedReport {
    const report: SeedReport = { groups: [], apps: [], roles: [] };
    for (const guest of guests) {
        for (const ref of guest.groups) {
            const exists = isGuid(ref) ? tenant.groups.some((g) => g.id === ref) : tenant.groups.some((g) => g.displayName.toLowerCase() === ref.toLowerCase());
            if (exists) continue;
            tenant.groups.push({ id: isGuid(ref) ? ref : randomUUID(), displayName: isGuid(ref) ? `Group ${ref}` : ref, description: null, createdDateTime: null, members: [] });
            report.groups.push(ref);
        }
        for (const access of guest.apps) {
            let sp = isGuid(access.app)
                ? tenant.servicePrincipals.find((s) => s.appId === access.app)
                : tenant.servicePrincipals.find((s) => s.displayName.toLowerCase() === access.app.toLowerCase());
            if (!sp) {
                sp = { id: randomUUID(), appId: isGuid(access.app) ? access.app : randomUUID(), displayName: isGuid(access.app) ? `App ${access.app}` : access.app, description: null, appRoles: [] };
                tenant.servicePrincipals.push(sp);
                report.apps.push(access.app);
            }
            const role = access.role;
            if (role === undefined || sp.appRoles.some((r) => r.value === role || r.id === role)) continue;
            sp.appRoles.push({ id: isGuid(role) ? role : randomUUID(), value: isGuid(role) ? "" : role, displayName: role, description: "", allowedMemberTypes: ["User"], enabled: true });
            report.roles.push(`${access.app}: ${role}`);
        }
    }
    return report;
}
