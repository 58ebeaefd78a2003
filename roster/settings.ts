import { z } from "zod";
import { DEFAULT_REDIRECT_URL } from "./build";
import { checkRedirectUrl } from "./fields";
import { didYouMean } from "./suggest";

/** The config namespace: keys are `entra-guests:<key>` in Pulumi.yaml and stack files. */
export const CONFIG_NAMESPACE = "entra-guests";

/**
 * Stack settings, the same for the Pulumi program and the CLI. Values arrive as Pulumi
 * config gives them: text, or JSON text for lists.
 */
export const Settings = z.strictObject({
    /** Guest files and folders to read, relative to the project. */
    guests: z
        .preprocess(jsonList, z.array(z.string().trim().min(1, "a path is empty")).min(1, "name at least one file or folder"))
        .default(["guests"]),
    /** Redirect URL for guests whose files give none. */
    defaultRedirectUrl: z
        .string()
        .trim()
        .refine((v) => checkRedirectUrl(v).ok, "must be an absolute http(s) URL, like https://myapps.microsoft.com")
        .default(DEFAULT_REDIRECT_URL),
});

export type Settings = z.infer<typeof Settings>;
export const SETTING_KEYS = Object.keys(Settings.shape);

/** "a" or '["a","b"]' (how Pulumi config stores a list) -> a list. */
function jsonList(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const text = value.trim();
    if (text.startsWith("[")) {
        try {
            return JSON.parse(text);
        } catch {
            return value;
        }
    }
    return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Validates raw config values (keys without the namespace), reporting every bad key. */
export function parseSettings(raw: Record<string, unknown>, source: string): SettingsResult {
    const result = Settings.safeParse(raw);
    if (result.success) return { ok: true, settings: result.data };
    const errors = result.error.issues.map((issue) => {
        if (issue.code === "unrecognized_keys") {
            const hint = issue.keys.map((k) => didYouMean(k, SETTING_KEYS).replace(/`(\w+)`/, `\`${CONFIG_NAMESPACE}:$1\``)).join("");
            return `${source}: unknown config key ${issue.keys.map((k) => `\`${CONFIG_NAMESPACE}:${k}\``).join(", ")}; ${hint}the keys are ${SETTING_KEYS.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}`;
        }
        const key = `${CONFIG_NAMESPACE}:${String(issue.path[0] ?? "")}`;
        return `${source}: config \`${key}\` ${issue.message} (got ${JSON.stringify(raw[String(issue.path[0])])}); set it with \`pulumi config set ${key} <value>\``;
    });
    return { ok: false, errors };
}
