import { promises as fs } from "fs";
import * as path from "path";
import { buildRoster, Roster, RosterOptions, SourceFile } from "./build";
import { detectFormat } from "./read/csv-formats";
import { detectDelimiter } from "./read/csv-records";
import { decode } from "./read/decode";
import { Problem, quote, sortProblems } from "./problems";
import { pathSpec, relativeTo } from "./read/paths";

// What a folder walk reads: what loads when named directly, see FOLDER_GUEST_FILE.
// A .txt is read when it starts with a guest header, as Excel's "Unicode Text" does; a
// README.txt beside it is not.
const TEXT_FILE = /\.txt$/i;
/** Files a folder walk reads by their name alone, or (.txt) by their first line. */
export const FOLDER_GUEST_FILE = /\.(csv|tsv|txt|ya?ml)$/i;
// Beside guest files on purpose: skipped without a warning.
const DOCUMENTATION = /\.(md|markdown)$|^(readme|license|licence|changelog|thumbs\.db$|desktop\.ini$)/i;

/** Paths that do not exist or hold no guest file: a usage mistake, not a problem in a guest file. */
export class MissingPathError extends Error {
    constructor(
        readonly paths: string[],
        readonly globs: string[] = [],
        /** Folders that hold no guest file, each with what it does hold: "guests (it holds README.md)". */
        readonly emptyFolders: string[] = [],
    ) {
        const parts = [];
        if (paths.length > 0) parts.push(`no such file or directory: ${paths.join(", ")}`);
        if (globs.length > 0) parts.push(`no guest file matches: ${globs.join(", ")}`);
        for (const folder of emptyFolders) parts.push(`no guest file in the folder ${folder}`);
        super(parts.join("; "));
    }
}

export interface FindOptions {
    /** Leave out paths that do not exist or hold no guest file (diff: a pull request may delete a folder). */
    allowMissing?: boolean;
    /** A link in a folder is followed only to a place inside this folder (default: cwd). */
    within?: string;
}

/** The guest files to read, and a warning for each file a folder walk skipped. */
export interface FoundFiles {
    files: string[];
    skipped: Problem[];
}

/**
 * The guest files under `paths`: files as given, folders searched recursively (hidden folders
 * and node_modules skipped, links followed inside the project), globs matched against those,
 * sorted, each once. A path that names nothing, a glob that matches nothing and a folder with
 * no guest file are missing: a stack reading no guests would delete them all.
 */
export async function findGuestFiles(paths: string[], cwd: string, options: FindOptions = {}): Promise<FoundFiles> {
    const byRealPath = new Map<string, string>();
    const skipped: Problem[] = [];
    const missing: string[] = [];
    const unmatched: string[] = [];
    const empty: string[] = [];
    const within = await fs.realpath(options.within ?? cwd).catch(() => path.resolve(options.within ?? cwd));
    const add = async (file: string) => {
        const real = await fs.realpath(file).catch(() => file);
        if (!byRealPath.has(real)) byRealPath.set(real, file);
    };
    for (const p of paths) {
        const spec = pathSpec(p, cwd);
        const stat = await fs.stat(spec.base).catch(() => undefined);
        if (!stat) {
            (spec.matches ? unmatched : missing).push(p);
        } else if (!stat.isDirectory()) {
            if (spec.matches) unmatched.push(p);
            else await add(spec.base);
        } else {
            const walked = await walk(spec.base, within);
            const entries = spec.matches ? walked.filter((e) => spec.matches!(relativeTo(cwd, e.path))) : walked;
            let read = 0;
            for (const entry of entries) {
                const reason = entry.skip ?? (TEXT_FILE.test(entry.path) ? await notAGuestText(entry.path) : undefined);
                if (reason === undefined) {
                    await add(entry.path);
                    read++;
                } else if (reason !== "") {
                    skipped.push({ file: displayPath(entry.path, cwd), message: `skipped: ${reason}` });
                }
            }
            if (read > 0) continue;
            if (spec.matches) unmatched.push(p);
            else empty.push(`${p} (${holding(entries.map((e) => relativeTo(spec.base, e.path)))})`);
        }
    }
    if (!options.allowMissing && missing.length + unmatched.length + empty.length > 0) throw new MissingPathError(missing, unmatched, empty);
    return { files: [...byRealPath.values()].sort(), skipped: sortProblems(skipped) };
}

function holding(names: string[]): string {
    if (names.length === 0) return "it is empty";
    const shown = names.slice(0, 3).join(", ");
    return `it holds ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ""}`;
}

/** A file a walk found: to read, or skipped with the reason ("" for no warning). */
interface Walked {
    path: string;
    skip?: string;
}

/**
 * Every file under `dir`, sorted, each with whether it is read. A link is followed when it
 * stays inside `within`: a link in a pull request must not read a runner's files into an
 * annotation. `chain` holds the real folders being walked, so a link back into one is a loop.
 */
async function walk(dir: string, within: string, chain: string[] = [], seen = new Set<string>()): Promise<Walked[]> {
    const real = await fs.realpath(dir);
    if (seen.has(real)) return []; // read already, through another link
    seen.add(real);
    const out: Walked[] = [];
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        const full = path.join(dir, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            const target = await fs.readlink(full);
            const to = await fs.realpath(full).catch(() => undefined);
            const stat = to === undefined ? undefined : await fs.stat(to).catch(() => undefined);
            if (to === undefined || stat === undefined) {
                out.push({ path: full, skip: `the link points to nothing (got ${quote(target)}); fix the link or delete it` });
                continue;
            }
            if (!isInside(to, within)) {
                out.push({ path: full, skip: `the link points out of the project (got ${quote(target)}); name the file itself as a path to read it` });
                continue;
            }
            if (stat.isDirectory() && [...chain, real].some((c) => isInside(c, to))) {
                out.push({ path: full, skip: `the link leads to a folder that holds this one (got ${quote(target)}); delete the link, or link the files themselves` });
                continue;
            }
            isDirectory = stat.isDirectory();
            isFile = stat.isFile();
        }
        if (isDirectory) out.push(...(await walk(full, within, [...chain, real], seen)));
        else if (isFile) out.push({ path: full, skip: skipReason(entry.name) });
    }
    return out;
}

/** Why a folder walk does not read a file by its name; undefined: read it (or sniff a .txt). */
function skipReason(name: string): string | undefined {
    if (FOLDER_GUEST_FILE.test(name)) return undefined;
    if (DOCUMENTATION.test(name)) return "";
    return `a folder is read for *.csv, *.tsv, *.txt, *.yaml and *.yml guest files (got ${quote(path.extname(name) || name)}); save it as CSV UTF-8 to read it, or move it out of the folder`;
}

/** Why a .txt in a folder is not read (see guestTextProblem), reading only its start. */
async function notAGuestText(file: string): Promise<string | undefined> {
    const handle = await fs.open(file, "r");
    try {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
        return guestTextProblem(buffer.subarray(0, bytesRead), path.basename(file));
    } finally {
        await handle.close();
    }
}

/**
 * Why a .txt found in a folder is not a guest file: its first line names no email column.
 * undefined when it is one; "" for a README, skipped without a warning. The diff reads the
 * base's files through git with the same rule.
 */
export function guestTextProblem(bytes: Uint8Array, name: string): string | undefined {
    // A file in a Windows code page is read when it looks like guests: its error says how to save it.
    // Only the file's start is read: a character cut at its end is not a reason to give up.
    let text = Buffer.from(bytes).toString("latin1");
    for (let cut = 0; cut < 4; cut++) {
        const decoded = decode(bytes.subarray(0, bytes.length - cut));
        if (decoded.ok) {
            text = decoded.text();
            break;
        }
    }
    const header = text.split(/\r\n|\n|\r/).map((l) => l.trim()).find((l) => l !== "" && !/^"?(version:|sep=)/i.test(l)) ?? "";
    const cells = header.split(detectDelimiter(header)).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (detectFormat(cells) !== undefined) return undefined;
    if (DOCUMENTATION.test(name)) return "";
    return `a .txt file is read from a folder only when its first line names an email column (got ${quote(header)}); start it with a header like email,displayName to read it, or move it out of the folder`;
}

function isInside(child: string, parent: string): boolean {
    const rel = path.relative(parent, child);
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** How a path appears in messages: relative to `cwd`, with "/" so GitHub annotations match. */
export function displayPath(abs: string, cwd: string): string {
    const rel = path.relative(cwd, abs);
    return (rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel).split(path.sep).join("/");
}

export async function readSources(files: string[], cwd: string): Promise<SourceFile[]> {
    return Promise.all(files.map(async (f) => ({ path: displayPath(f, cwd), bytes: await fs.readFile(f) })));
}

/** Finds, reads and validates the guest files under `paths`; the files a walk skipped are warnings. */
export async function loadRoster(paths: string[], options: RosterOptions & FindOptions & { cwd: string }): Promise<Roster> {
    const found = await findGuestFiles(paths, options.cwd, options);
    const roster = buildRoster(await readSources(found.files, options.cwd), options);
    if (found.skipped.length === 0) return roster;
    return { ...roster, warnings: sortProblems([...roster.warnings, ...found.skipped]) };
}
