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

export function pathSpec(written: string, cwd: string): PathSpec {
    const posix = written.split(path.sep).join("/");
    const scan = picomatch.scan(posix);
    if (!scan.isGlob) return { written, base: path.resolve(cwd, written) };
    const isMatch = picomatch(path.posix.normalize(posix), { dot: false });
    return { written, base: path.resolve(cwd, scan.base || "."), matches: (relative) => isMatch(relative) };
}

/** A path relative to `cwd`, with "/", as globs and messages see it. */
export function relativeTo(cwd: string, abs: string): string {
    return path.relative(cwd, abs).split(path.sep).join("/");
}
