import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseSettings, placeholderTenantProblem, PROVIDER_TENANT_KEY, Settings } from "../roster/rules/settings";

/**
 * The stack's `entra-guests:*` config, validated by the same schema the CLI uses, and the
 * provider's tenant checked for the placeholder zero GUID (it would beat ARM_TENANT_ID), all
 * reported at once before anything is looked up or registered.
 */
export function readStackSettings(): Settings {
    const raw: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    const config = pulumi.runtime.allConfig();
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    const source = `stack ${pulumi.getStack()}`;
    const tenant = placeholderTenantProblem(config[PROVIDER_TENANT_KEY], source);
    const result = parseSettings(raw, source);
    const errors = [...(tenant ? [tenant] : []), ...(result.ok ? [] : result.errors)];
    if (tenant !== undefined || !result.ok) throw new pulumi.RunError(errors.join("\n"));
    return result.settings;
}
