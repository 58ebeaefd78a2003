import * as pulumi from "@pulumi/pulumi";
import { forTerminal } from "../text/escape";
import { Directory, GraphClient, GraphClientOptions, graphClientFromEnvironment, waitLine } from "../graph";
import { usersByAddress } from "../graph/identity";
import { objectsNamed, similarNames } from "../graph/name-hints";
import { NameReads, TenantReads } from "../plan";

/**
 * The provider's own settings in stack config, as the ARM_* variables they stand for: a value in
 * stack config wins over the environment for the provider (pulumi-azuread's config maps each key
 * to its ARM_* default), so it does for the program's Graph reads too.
 */
const PROVIDER_CONFIG: Record<string, string> = {
    "azuread:tenantId": "ARM_TENANT_ID",
    "azuread:clientId": "ARM_CLIENT_ID",
    "azuread:clientSecret": "ARM_CLIENT_SECRET",
    "azuread:useOidc": "ARM_USE_OIDC",
    "azuread:oidcToken": "ARM_OIDC_TOKEN",
};

/** The environment the Graph credential reads: the process's, with the provider's stack config on top. */
export function credentialEnvironment(config: Record<string, string>, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const out: NodeJS.ProcessEnv = { ...env };
    for (const [key, variable] of Object.entries(PROVIDER_CONFIG)) if (config[key] !== undefined && config[key] !== "") out[variable] = config[key];
    return out;
}

/**
 * The tenant reads the program makes before registering anything, through Microsoft Graph with
 * the credentials the azuread provider uses (graph/credentials.ts). Created on first use: a run
 * that looks nothing up needs no Graph token. Each wait for Graph is logged as it starts
 * ("waiting 30 s: Graph throttled …"), so a throttled preview says why it is slow. The name
 * reads share the client, its sign-in and its wait budget; only a failed group or app lookup
 * makes them (plan/lookup-errors.ts).
 */
export function tenantReads(): TenantReads & NameReads {
    let graph: GraphClient | undefined;
    const onWait: GraphClientOptions["onWait"] = (info) => void pulumi.log.info(forTerminal(waitLine(info)));
    const client = () => (graph ??= graphClientFromEnvironment(credentialEnvironment(pulumi.runtime.allConfig()), { onWait }));
    const directory = () => new Directory(client());
    return {
        usersByAddress: (addresses) => usersByAddress(client(), addresses),
        groupMemberIds: (id) => directory().groupMemberIds(id),
        appRoleAssignedTo: (id) => directory().appRoleAssignedTo(id),
        existingUsers: (ids) => directory().existingUsers(ids),
        objectsNamed: (what, name) => objectsNamed(client(), what, name),
        similarNames: (what, name) => similarNames(client(), what, name),
    };
}
