import { readFileSync } from "fs";
import * as path from "path";
import { Location } from "../problems";
import { decode } from "./decode";

/**
 * Where a guest's address is written, found again in its file: for a problem a later step finds
 * with the address (the directory names several users for it, or a member), which the roster
 * located by line only. The roster does not keep each address's column: working it out costs
 * more than the checks themselves at 100,000 rows, and such problems are rare. The column is
 * 1-based, in characters of the decoded line; undefined when the line no longer holds the address.
 */
export function locateEmail(cwd: string, source: { file: string; line: number }, email: string): Location {
    const at = { file: source.file, line: source.line };
    let text: string;
    try {
        const decoded = decode(readFileSync(path.resolve(cwd, source.file)));
        if (!decoded.ok) return at;
        text = decoded.text();
    } catch {
        return at;
    }
    const line = text.split(/\r\n|\n|\r/)[source.line - 1];
    if (line === undefined) return at;
    // The roster compares addresses trimmed, in NFC and lower-case: NFC and lower-casing keep
    // every character of an address where it was (an address is ASCII by then).
    const index = line.normalize("NFC").toLowerCase().indexOf(email);
    return index < 0 ? at : { ...at, column: index + 1 };
}
