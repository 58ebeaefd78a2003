import { Directory, graphClientFromEnvironment } from "../graph";
import { TenantReads } from "../plan";

/**
 * The tenant reads adoption needs, through Microsoft Graph with the credentials the azuread
 * provider uses (graph/credentials.ts). Created on first use: a steady-state run that looks
 * nothing up needs no Graph token.
 */
export function tenantReads(): TenantReads {
    let created: TenantReads | undefined;
    const reads = (): TenantReads => (created ??= graphReads());
    return {
        usersByMail: (mails) => reads().usersByMail(mails),
        groupMemberIds: (id) => reads().groupMemberIds(id),
        appRoleAssignedTo: (id) => reads().appRoleAssignedTo(id),
        existingUserIds: (ids) => reads().existingUserIds(ids),
    };
}

function graphReads(): TenantReads {
    return new Directory(graphClientFromEnvironment());
}
