import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseSettings, Settings } from "../roster/rules/settings";

/** The stack's `entra-guests:*` config, validated by the same schema the CLI uses. */
export function readStackSettings(): Settings {
    const raw: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    const result = parseSettings(raw, `stack ${pulumi.getStack()}`);
    if (!result.ok) throw new pulumi.RunError(result.errors.join("\n"));
    return result.settings;
}
