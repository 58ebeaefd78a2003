import { existsSync, statSync } from "fs";
import * as path from "path";
import picomatch from "picomatch";

/**
 * One entry of `entra-guests:guests` or a CLI path: a file, a folder, or a glob such as
 * `guests/partners-*.yaml` or `guests/**\/fabrikam*` (how a big roster is split over stacks).
 */
export interface PathSpec {
    /** As written. */
    written: string;
    /** The file or folder to read or walk: for a glob, the folder before its first pattern. */
    base: string;
    /** For a glob: does a path (relative to the working folder, with "/") match it? */
    matches?: (relative: string) => boolean;
}

/**
 * A name is what exists before it is a pattern: `guests/[partners]` and `guests/(2024)` are
 * folders when they exist, and `guests/[partners]/*.csv` globs inside that folder, not in
 * `guests/p`. A path naming nothing that exists is a glob as written.
 */
export function pathSpec(written: string, cwd: string): PathSpec {
    const posix = written.split(path.sep).join("/");
    const scan = picomatch.scan(posix);
    if (!scan.isGlob || existsSync(path.resolve(cwd, written))) return { written, base: path.resolve(cwd, written) };
    const parts = path.posix.normalize(posix).split("/");
    const literal = existingFolders(parts, cwd);
    const prefix = parts.slice(0, literal).join("/");
    if (!picomatch.scan(prefix).isGlob) {
        const isMatch = picomatch(path.posix.normalize(posix), { dot: false });
        return { written, base: path.resolve(cwd, scan.base || "."), matches: (relative) => isMatch(relative) };
    }
    const pattern = [...parts.slice(0, literal).map(escapeGlob), ...parts.slice(literal)].join("/");
    const isMatch = picomatch(pattern, { dot: false });
    return { written, base: path.resolve(cwd, prefix), matches: (relative) => isMatch(relative) };
}

/** How many leading parts of a path name existing folders (the last part is never counted). */
function existingFolders(parts: string[], cwd: string): number {
    let count = 0;
    for (let i = 1; i < parts.length; i++) {
        if (!statSync(path.resolve(cwd, parts.slice(0, i).join("/") || "/"), { throwIfNoEntry: false })?.isDirectory()) break;
        count = i;
    }
    return count;
}

function escapeGlob(part: string): string {
    return part.replace(/[\\*?[\]{}()!+@|]/g, "\\$&");
}

/** A path relative to `cwd`, with "/", as globs and messages see it. */
export function relativeTo(cwd: string, abs: string): string {
    return path.relative(cwd, abs).split(path.sep).join("/");
}
