import { Document, isMap, isPair, isScalar, LineCounter, Node, parseDocument, YAMLMap } from "yaml";
import { Declared, FileDeclarations } from "./declared";
import { Location, Problems, quote } from "./problems";
import { didYouMean } from "./suggest";

/** Top-level keys of a guest YAML file. */
export const YAML_TOP_KEYS = ["defaults", "guests", "policy", "catalog"];

// Anchors and aliases are handy for shared group lists; a "billion laughs" file is refused
// at the 100th alias instead of expanding (REFERENCE: alias bombs refused quickly).
const MAX_ALIASES = 100;

/** Reads one YAML guest file into declarations, reporting into `problems`. */
export function readYamlFile(file: string, text: string, problems: Problems): FileDeclarations {
    const result: FileDeclarations = { file, format: "yaml", guests: [] };
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false });
    const at = (offset: number): Location => {
        const p = lines.linePos(offset);
        return { file, line: p.line, column: p.col };
    };
    for (const e of doc.errors) {
        problems.error(at(e.pos[0]), `the file is not valid YAML: ${firstLine(e.message)}; fix the syntax at this spot`);
    }
    for (const w of doc.warnings) {
        const tag = w.code === "TAG_RESOLVE_FAILED";
        problems.error(
            at(w.pos[0]),
            tag
                ? `custom YAML tags are not allowed (${firstLine(w.message)}); remove the tag and write the plain value`
                : `${firstLine(w.message)}; fix the YAML at this spot`,
        );
    }
    if (doc.errors.length > 0 || doc.warnings.length > 0) return result;

    let data: unknown;
    try {
        data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
        problems.error({ file, line: 1, column: 1 }, `the file uses too many YAML aliases (${(err as Error).message}); write the values out instead of nesting aliases`);
        return result;
    }
    if (data === null || data === undefined) {
        problems.warn({ file, line: 1, column: 1 }, "the file is empty; add a `guests:` list, or delete the file");
        return result;
    }
    if (!isMap(doc.contents) || typeof data !== "object" || Array.isArray(data)) {
        problems.error({ file, line: 1, column: 1 }, `the file must be a mapping with \`guests\` (got ${quote(data)}); start it with "guests:" followed by a list of guests`);
        return result;
    }
    const top = data as Record<string, unknown>;
    for (const key of Object.keys(top)) {
        if (!YAML_TOP_KEYS.includes(key)) {
            problems.error(keyLocation(doc, [], key, at) ?? { file, line: 1, column: 1 }, `unknown top-level key \`${key}\`; ${didYouMean(key, YAML_TOP_KEYS)}a guest file has ${YAML_TOP_KEYS.map((k) => `\`${k}\``).join(", ")}`);
        }
    }
    for (const key of ["defaults", "policy", "catalog"] as const) {
        const value = top[key];
        if (value === undefined || value === null) continue;
        if (typeof value !== "object" || Array.isArray(value)) {
            problems.error(nodeLocation(doc, [key], at), `\`${key}\` must be a mapping (got ${quote(value)}); ${SECTION_HINT[key]}`);
        } else {
            result[key] = declare(doc, [key], value as Record<string, unknown>, at);
        }
    }
    const guests = top.guests;
    if ((guests === undefined || guests === null) && top.catalog !== undefined) return result;
    if (guests === undefined || guests === null) {
        problems.warn(nodeLocation(doc, [], at), "the file has no `guests` list; add one, or delete the file");
        return result;
    }
    if (!Array.isArray(guests)) {
        problems.error(nodeLocation(doc, ["guests"], at), `\`guests\` must be a list (got ${quote(guests)}); write each guest as a "- email: ..." item`);
        return result;
    }
    guests.forEach((entry, i) => {
        const path = ["guests", i];
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
            const value = typeof entry === "string" ? ` (got ${quote(entry)}); write it as "- email: ${entry}"` : ` (got ${quote(entry)}); write "- email: name@domain"`;
            problems.error(nodeLocation(doc, path, at), `each entry in \`guests\` must be a mapping with \`email\`${value}`);
            return;
        }
        result.guests.push(declare(doc, path, entry as Record<string, unknown>, at));
    });
    return result;
}

const SECTION_HINT = {
    defaults: 'write guest fields like "redirectUrl: https://..." under it',
    policy: "write allowedDomains and blockedDomains lists under it",
    catalog: "write groups and apps mappings of alias: name or ID under it",
};

function declare(doc: Document, base: (string | number)[], values: Record<string, unknown>, at: (offset: number) => Location): Declared {
    const entry = nodeLocation(doc, base, at) as Location & { line: number };
    return {
        at: entry,
        values,
        locate(path, key) {
            if (key && path.length >= 1) {
                const parent = [...base, ...path.slice(0, -1).map((p) => (typeof p === "symbol" ? String(p) : p))];
                const keyAt = keyLocation(doc, parent, String(path[path.length - 1]), at);
                if (keyAt) return keyAt;
            }
            const full = [...base, ...path.map((p) => (typeof p === "symbol" ? String(p) : p))];
            const node = doc.getIn(full, true) as Node | undefined;
            if (node && node.range) return at(node.range[0]);
            // An unknown key's value may be null; point at the key instead.
            if (path.length === 1) return keyLocation(doc, base, String(path[0]), at) ?? entry;
            return entry;
        },
    };
}

function nodeLocation(doc: Document, path: (string | number)[], at: (offset: number) => Location): Location {
    const node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as Node | undefined;
    return node?.range ? at(node.range[0]) : at(0);
}

function keyLocation(doc: Document, base: (string | number)[], key: string, at: (offset: number) => Location): Location | undefined {
    const map = (base.length === 0 ? doc.contents : doc.getIn(base, true)) as YAMLMap | undefined;
    if (!isMap(map)) return undefined;
    for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
            return at(pair.key.range[0]);
        }
    }
    return undefined;
}

function firstLine(message: string): string {
    return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
