import { Group, ServicePrincipal } from "../tenant/format";
import { Graph } from "../tenant/graph";
import { diag, DiagnosticsError, Operation, quote, SdkError } from "./sdk";

export const GET_GROUP = "azuread:index/getGroup:getGroup";
export const GET_SERVICE_PRINCIPAL = "azuread:index/getServicePrincipal:getServicePrincipal";

type Args = Record<string, unknown>;

/** The bridge returns an invoke's error as `invoking <token>: <diagnostics>` (bridge pkg/tfbridge/provider.go:1970). */
export class InvokeError extends Error {
    override name = "ProviderError";
}

export async function invoke(graph: Graph, op: Operation, token: string, args: Args): Promise<Record<string, unknown>> {
    try {
        if (token === GET_GROUP) return await getGroup(graph, op, args);
        if (token === GET_SERVICE_PRINCIPAL) return await getServicePrincipal(graph, op, args);
    } catch (err) {
        if (err instanceof DiagnosticsError) throw new InvokeError(`invoking ${token}: ${err.message}`);
        throw err;
    }
    throw new Error(`unknown function ${token}: the simulated tenant serves ${GET_GROUP} and ${GET_SERVICE_PRINCIPAL}`);
}

/**
 * data.azuread_group (internal/services/groups/group_data_source.go, v3.8.0). By display name the
 * filter is built with no escaping (289), so a name with an apostrophe is a bad filter; zero and
 * several matches are errors (311-314). Members and owners are paged in full (460-497).
 */
async function getGroup(graph: Graph, op: Operation, args: Args): Promise<Record<string, unknown>> {
    let group: Group;
    if (typeof args.objectId === "string") {
        try {
            group = await op.call(() => graph.getGroup(args.objectId as string));
        } catch (err) {
            if (err instanceof SdkError && err.graph.status === 404) throw new DiagnosticsError([diag(`No group found with object ID: ${quote(args.objectId as string)}`, undefined, "object_id")]);
            throw new DiagnosticsError([diag(`Retrieving group with object ID: ${quote(args.objectId as string)}`, err)]);
        }
    } else if (typeof args.displayName === "string") {
        const filter = `displayName eq '${args.displayName}'`;
        let found: Group[];
        try {
            found = await op.call(() => graph.listGroups(filter));
        } catch (err) {
            throw new DiagnosticsError([diag(`Retrieving groups for filter (${filter})`, err)]);
        }
        if (found.length > 1) throw new DiagnosticsError([diag(`More than one group found matching specified filter (${filter})`, undefined, "display_name")]);
        if (found.length === 0) throw new DiagnosticsError([diag(`No group found matching specified filter (${filter})`, undefined, "display_name")]);
        group = found[0];
    } else {
        throw new DiagnosticsError([diag('"display_name": one of `display_name,mail_nickname,object_id` must be specified', undefined)]);
    }
    const members = await op.call(() => graph.listMembers(group.id));
    await op.call(() => graph.listOwners(group.id));
    return {
        id: `/groups/${group.id}`,
        objectId: group.id,
        displayName: group.displayName,
        members,
        owners: [],
        includeTransitiveMembers: false,
        assignableToRole: false,
        autoSubscribeNewMembers: false,
        behaviors: [],
        description: "",
        dynamicMemberships: [],
        externalSendersAllowed: false,
        hideFromAddressLists: false,
        hideFromOutlookClients: false,
        mail: "",
        mailEnabled: false,
        mailNickname: group.displayName.replace(/[^A-Za-z0-9]/g, "").toLowerCase(),
        onpremisesDomainName: "",
        onpremisesGroupType: "",
        onpremisesNetbiosName: "",
        onpremisesSamAccountName: "",
        onpremisesSecurityIdentifier: "",
        onpremisesSyncEnabled: false,
        preferredLanguage: "",
        provisioningOptions: [],
        proxyAddresses: [],
        securityEnabled: true,
        theme: "",
        types: [],
        visibility: "",
    };
}

/**
 * data.azuread_service_principal (internal/services/serviceprincipals/service_principal_data_source.go,
 * v3.8.0): object ID, then display name (quotes escaped, 0 or several matches are errors), then
 * client ID (first match, 305-349). `appRoleIds` maps role value -> ID, skipping empty values
 * (internal/helpers/applications/applications.go:79-89).
 */
async function getServicePrincipal(graph: Graph, op: Operation, args: Args): Promise<Record<string, unknown>> {
    let sp: ServicePrincipal | undefined;
    if (typeof args.objectId === "string") {
        try {
            sp = await op.call(() => graph.getServicePrincipal(args.objectId as string));
        } catch (err) {
            if (err instanceof SdkError && err.graph.status === 404) {
                throw new DiagnosticsError([diag(`Service Principal (Service Principal: "${args.objectId}") was not found`, undefined, "object_id")]);
            }
            throw new DiagnosticsError([diag(`Retrieving Service Principal (Service Principal: "${args.objectId}")`, err)]);
        }
    } else if (typeof args.displayName === "string") {
        const filter = `displayName eq '${args.displayName.replace(/'/g, "''")}'`;
        const found = await list(graph, op, filter);
        if (found.length === 0) throw new DiagnosticsError([diag("Service principal not found", `no service principals found matching filter: ${quote(filter)}`)]);
        if (found.length > 1) throw new DiagnosticsError([diag("Multiple service principals found", `found multiple service principals matching filter: ${quote(filter)}`)]);
        sp = found[0].displayName.toLowerCase() === args.displayName.toLowerCase() ? found[0] : undefined;
    } else if (typeof args.clientId === "string") {
        const clientId = args.clientId;
        const found = await list(graph, op, `appId eq '${clientId.replace(/'/g, "''")}'`);
        sp = found.find((s) => s.appId.toLowerCase() === clientId.toLowerCase());
    }
    if (!sp) throw new DiagnosticsError([diag("No service principal found", "no service principal found")]);
    const found = sp;
    await op.call(() => graph.getServicePrincipalSaml(found.id));
    const appRoleIds: Record<string, string> = {};
    for (const r of sp.appRoles) if (r.value !== "") appRoleIds[r.value] = r.id;
    return {
        id: `/servicePrincipals/${sp.id}`,
        objectId: sp.id,
        clientId: sp.appId,
        displayName: sp.displayName,
        appRoleIds,
        appRoles: sp.appRoles.map((r) => ({ id: r.id, allowedMemberTypes: r.allowedMemberTypes, description: r.description, displayName: r.displayName, enabled: r.enabled, value: r.value })),
        accountEnabled: true,
        alternativeNames: [],
        appRoleAssignmentRequired: false,
        applicationTenantId: "",
        description: "",
        featureTags: [],
        features: [],
        homepageUrl: "",
        loginUrl: "",
        logoutUrl: "",
        notes: "",
        notificationEmailAddresses: [],
        oauth2PermissionScopeIds: {},
        oauth2PermissionScopes: [],
        preferredSingleSignOnMode: "",
        redirectUris: [],
        samlMetadataUrl: "",
        samlSingleSignOns: [],
        servicePrincipalNames: [],
        signInAudience: "AzureADMyOrg",
        tags: [],
        type: "Application",
    };
}

async function list(graph: Graph, op: Operation, filter: string): Promise<ServicePrincipal[]> {
    try {
        return await op.call(() => graph.listServicePrincipals(filter));
    } catch (err) {
        throw new DiagnosticsError([diag(`Listing service principals for filter ${quote(filter)}`, err)]);
    }
}
