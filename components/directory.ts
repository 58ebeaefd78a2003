import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { Directory, ServicePrincipalInfo } from "../plan";

/**
 * The directory as azuread's data sources see it. Each call is one Graph read, made while the
 * program runs (preview included), before any resource is registered.
 */
export function azureDirectory(opts?: pulumi.InvokeOptions): Directory {
    return {
        async groupByName(displayName: string): Promise<string> {
            const group = await azuread.getGroup({ displayName }, opts);
            return group.objectId;
        },
        async servicePrincipal(ref: { clientId: string } | { displayName: string }): Promise<ServicePrincipalInfo> {
            const sp = await azuread.getServicePrincipal(ref, opts);
            return { objectId: sp.objectId, appRoleIds: sp.appRoleIds };
        },
    };
}
