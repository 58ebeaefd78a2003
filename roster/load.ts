import { promises as fs } from "fs";
import * as path from "path";
import { buildRoster, Roster, RosterOptions, SourceFile } from "./build";
import { pathSpec, relativeTo } from "./paths";

const GUEST_FILE = /\.(csv|ya?ml)$/i;

/** Paths that do not exist: a usage mistake, not a problem in a guest file. */
export class MissingPathError extends Error {
    constructor(
        readonly paths: string[],
        readonly globs: string[] = [],
    ) {
        const parts = [];
        if (paths.length > 0) parts.push(`no such file or directory: ${paths.join(", ")}`);
        if (globs.length > 0) parts.push(`no guest file matches: ${globs.join(", ")}`);
        super(parts.join("; "));
    }
}

/**
 * The guest files under `paths`: files as given, directories searched recursively for
 * *.csv, *.yaml and *.yml (hidden folders and node_modules skipped), globs matched against
 * those, sorted, each once. A path that names nothing, or a glob that matches nothing, is
 * missing: a stack reading no guests would delete them all.
 */
export async function findGuestFiles(paths: string[], cwd: string, allowMissing = false): Promise<string[]> {
    const found = new Set<string>();
    const missing: string[] = [];
    const unmatched: string[] = [];
    for (const p of paths) {
        const spec = pathSpec(p, cwd);
        const stat = await fs.stat(spec.base).catch(() => undefined);
        if (spec.matches) {
            const hits = stat?.isDirectory() ? (await walk(spec.base)).filter((f) => spec.matches!(relativeTo(cwd, f))) : [];
            if (hits.length === 0) unmatched.push(p);
            for (const f of hits) found.add(f);
        } else if (!stat) missing.push(p);
        else if (stat.isDirectory()) for (const f of await walk(spec.base)) found.add(f);
        else found.add(spec.base);
    }
    if (!allowMissing && missing.length + unmatched.length > 0) throw new MissingPathError(missing, unmatched);
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
export async function loadRoster(paths: string[], options: RosterOptions & { cwd: string; allowMissing?: boolean }): Promise<Roster> {
    const files = await findGuestFiles(paths, options.cwd, options.allowMissing);
    return buildRoster(await readSources(files, options.cwd), options);
}
