import * as pulumi from "@pulumi/pulumi";
import { GUEST_USER_TYPE, GuestUserInputs, PROVIDER_PACKAGE, ProviderArgs } from "../plan/guest-user";

/** A guest's user, from invitation or adoption to removal (provider/guest-user.ts). */
export class GuestUser extends pulumi.CustomResource {
    /** The user's object ID. */
    declare readonly userId: pulumi.Output<string>;
    /** The stack's own invitation created the user; only such a user (and, with deleteAdopted, an adopted guest) is ever deleted. */
    declare readonly createdByStack: pulumi.Output<boolean>;
    /** The user's type when the stack invited or adopted it. */
    declare readonly tenantUserType: pulumi.Output<string>;
    /** The invitation's redemption URL (secret); absent for an adopted user. */
    declare readonly redeemUrl: pulumi.Output<string | undefined>;

    constructor(name: string, args: GuestUserInputs, opts: pulumi.CustomResourceOptions) {
        super(GUEST_USER_TYPE, name, { ...args, userId: undefined, createdByStack: undefined, tenantUserType: undefined, redeemUrl: undefined }, opts);
    }
}

/**
 * The entra-guests provider instance every GuestUser uses. Its arguments are the azuread
 * provider's sign-in settings from stack config (the environment's ARM_* variables reach the
 * plugin process as they reach azuread's). A change of them is no replacement: the plugin answers
 * DiffConfig "unimplemented", which the engine takes as "do not replace"
 * (sdk/go/common/resource/plugin/provider_plugin.go:810-826 at v3.248.0).
 */
export class EntraProvider extends pulumi.ProviderResource {
    constructor(name: string, args: ProviderArgs, opts?: pulumi.ResourceOptions) {
        const secret = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
        super(PROVIDER_PACKAGE, name, { ...args, clientSecret: secret(args.clientSecret), oidcToken: secret(args.oidcToken) }, opts);
    }
}

/** The provider's arguments from the stack's azuread:* config (only what is set). */
export function providerArgsFromConfig(config: Record<string, string>): ProviderArgs {
    const pick = (key: string) => (config[`azuread:${key}`] !== undefined && config[`azuread:${key}`] !== "" ? config[`azuread:${key}`] : undefined);
    const args: ProviderArgs = {};
    for (const key of ["tenantId", "clientId", "clientSecret", "useOidc", "oidcToken"] as const) {
        const v = pick(key);
        if (v !== undefined) args[key] = v;
    }
    return args;
}
