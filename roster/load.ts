import { promises as fs } from "fs";
import * as path from "path";
import { buildRoster, Roster, RosterOptions, SourceFile } from "./build";

const GUEST_FILE = /\.(csv|ya?ml)$/i;

/** Paths that do not exist: a usage mistake, not a problem in a guest file. */
export class MissingPathError extends Error {
    constructor(readonly paths: string[]) {
        super(`no such file or directory: ${paths.join(", ")}`);
    }
}

/**
 * The guest files under `paths`: files as given, directories searched recursively for
 * *.csv, *.yaml and *.yml (hidden folders and node_modules skipped), sorted, each once.
 */
export async function findGuestFiles(paths: string[], cwd: string): Promise<string[]> {
    const found = new Set<string>();
    const missing: string[] = [];
    for (const p of paths) {
        const abs = path.resolve(cwd, p);
        const stat = await fs.stat(abs).catch(() => undefined);
        if (!stat) missing.push(p);
        else if (stat.isDirectory()) for (const f of await walk(abs)) found.add(f);
        else found.add(abs);
    }
    if (missing.length > 0) throw new MissingPathError(missing);
    return [...found].sort();
}

async function walk(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...(await walk(full)));
        else if (entry.isFile() && GUEST_FILE.test(entry.name)) out.push(full);
    }
    return out;
}

/** How a path appears in messages: relative to `cwd`, with "/" so GitHub annotations match. */
export function displayPath(abs: string, cwd: string): string {
    const rel = path.relative(cwd, abs);
    return (rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel).split(path.sep).join("/");
}

export async function readSources(files: string[], cwd: string): Promise<SourceFile[]> {
    return Promise.all(files.map(async (f) => ({ path: displayPath(f, cwd), bytes: await fs.readFile(f) })));
}

/** Finds, reads and validates the guest files under `paths`. */
export async function loadRoster(paths: string[], options: RosterOptions & { cwd: string }): Promise<Roster> {
    const files = await findGuestFiles(paths, options.cwd);
    return buildRoster(await readSources(files, options.cwd), options);
}
