import { existsSync, promises as fs } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, parseSettings, SettingsResult } from "../roster/rules/settings";

/**
 * The project folder for a CLI run in `cwd`: the nearest folder at or above it that holds
 * Pulumi.yaml, as Pulumi finds the project (and roster/project.ts for the program), so that
 * `cd guests && npx entra-guests validate` reads the same settings and guests as `pulumi up`
 * (issue 11). `cwd` itself when no folder above holds one.
 */
export function projectFolder(cwd: string): string {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return cwd;
    }
}

/**
 * The stack settings as `pulumi up` would see them, read from the project's files so that the
 * CLI needs no Pulumi CLI and no credentials: the defaults declared in Pulumi.yaml, overlaid
 * by Pulumi.<stack>.yaml when a stack is named. Secrets are never needed here.
 */
export async function readProjectSettings(cwd: string, stack: string | undefined): Promise<SettingsResult> {
    const raw: Record<string, unknown> = {};
    const project = await readYaml(path.join(cwd, "Pulumi.yaml"));
    for (const [key, decl] of Object.entries(objectAt(project, "config"))) {
        const short = ownKey(key);
        if (short === undefined) continue;
        const value = decl !== null && typeof decl === "object" && !Array.isArray(decl) ? (decl as Record<string, unknown>).default : decl;
        if (value !== undefined) raw[short] = toConfigText(value);
    }
    if (stack !== undefined) {
        const file = path.join(cwd, `Pulumi.${stack}.yaml`);
        const stackFile = await readYaml(file);
        if (stackFile === undefined) return { ok: false, errors: [`Pulumi.${stack}.yaml: no such stack file; create it with \`pulumi stack init ${stack}\`, or leave out --stack`] };
        for (const [key, value] of Object.entries(objectAt(stackFile, "config"))) {
            const short = ownKey(key);
            if (short !== undefined) raw[short] = toConfigText(value);
        }
    }
    return parseSettings(raw, stack === undefined ? "Pulumi.yaml" : `Pulumi.${stack}.yaml`);
}

/** `entra-guests:x` or a bare project key `x`; other namespaces (azuread:...) are not ours. */
function ownKey(key: string): string | undefined {
    if (!key.includes(":")) return key;
    const [ns, rest] = key.split(":", 2);
    return ns === CONFIG_NAMESPACE ? rest : undefined;
}

/** Pulumi hands config to programs as text, lists and objects as JSON. */
function toConfigText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

async function readYaml(file: string): Promise<unknown> {
    const text = await fs.readFile(file, "utf8").catch(() => undefined);
    return text === undefined ? undefined : parse(text);
}

function objectAt(doc: unknown, key: string): Record<string, unknown> {
    const value = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>)[key] : undefined;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
