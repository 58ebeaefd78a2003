import { Document, isMap, isNode, LineCounter, parseDocument } from "yaml";
import { Declared, FileDeclarations } from "./declared";
import { Location, Problems, quote } from "../problems";
import { didYouMean } from "../suggest";
import { DEPTH_FIX, readValues, YamlTree } from "./yaml-values";

/** Top-level keys of a guest YAML file. */
export const YAML_TOP_KEYS = ["defaults", "guests", "policy", "catalog"];

/** Reads one YAML guest file into declarations, reporting into `problems`. */
export function readYamlFile(file: string, text: string, problems: Problems): FileDeclarations {
    const result: FileDeclarations = { file, format: "yaml", guests: [] };
    const lines = new LineCounter();
    const at = (offset: number): Location => {
        const p = lines.linePos(offset);
        return { file, line: p.line, column: p.col };
    };
    const tree = parse(text, lines, at, problems);
    if (!tree) return result;
    let read: ReturnType<typeof readValues>;
    try {
        read = readValues(tree);
    } catch (err) {
        // A net like the parser's: one file's surprise must not lose every other file's errors.
        problems.error(at(0), `the file could not be read as YAML (${firstLine(String((err as Error)?.message ?? err))}); fix the syntax, or write the file again from \`entra-guests template\``);
        return result;
    }
    for (const p of read.problems) problems.error(at(p.offset), p.message);
    // A broken shape leaves holes in the values; checking them would only add noise.
    if (read.problems.some((p) => p.fatal)) return result;
    const data = read.value;
    if (data === null) {
        problems.warn({ file, line: 1, column: 1 }, "the file is empty; add a `guests:` list, or delete the file");
        return result;
    }
    if (!isMap(tree.doc.contents) || typeof data !== "object" || Array.isArray(data)) {
        problems.error({ file, line: 1, column: 1 }, `the file must be a mapping with \`guests\` (got ${quote(data)}); start it with "guests:" followed by a list of guests`);
        return result;
    }
    const top = data as Record<string, unknown>;
    for (const key of Object.keys(top)) {
        if (!YAML_TOP_KEYS.includes(key)) {
            problems.error(keyLocation(tree, [], key, at) ?? { file, line: 1, column: 1 }, `unknown top-level key \`${key}\`; ${didYouMean(key, YAML_TOP_KEYS)}a guest file has ${YAML_TOP_KEYS.map((k) => `\`${k}\``).join(", ")}`);
        }
    }
    for (const key of ["defaults", "policy", "catalog"] as const) {
        const value = top[key];
        if (value === undefined || value === null) continue;
        if (typeof value !== "object" || Array.isArray(value)) {
            problems.error(nodeLocation(tree, [key], at), `\`${key}\` must be a mapping (got ${quote(value)}); ${SECTION_HINT[key]}`);
        } else {
            result[key] = declare(tree, [key], value as Record<string, unknown>, at);
            if (key === "defaults") refuseListText(result[key], problems);
        }
    }
    const guests = top.guests;
    if ((guests === undefined || guests === null) && top.catalog !== undefined) return result;
    if (guests === undefined || guests === null) {
        problems.warn(nodeLocation(tree, [], at), "the file has no `guests` list; add one, or delete the file");
        return result;
    }
    if (!Array.isArray(guests)) {
        problems.error(nodeLocation(tree, ["guests"], at), `\`guests\` must be a list (got ${quote(guests)}); write each guest as a "- email: ..." item`);
        return result;
    }
    guests.forEach((entry, i) => {
        const path = ["guests", i];
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
            const value = typeof entry === "string" ? ` (got ${quote(entry)}); write it as "- email: ${entry}"` : ` (got ${quote(entry)}); write "- email: name@domain"`;
            problems.error(nodeLocation(tree, path, at), `each entry in \`guests\` must be a mapping with \`email\`${value}`);
            return;
        }
        const declared = declare(tree, path, entry as Record<string, unknown>, at);
        refuseListText(declared, problems);
        result.guests.push(declared);
    });
    return result;
}

/** The parsed document, or undefined after reporting why it is not YAML we read. */
function parse(text: string, lines: LineCounter, at: (offset: number) => Location, problems: Problems): YamlTree | undefined {
    let doc: Document;
    try {
        doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: false });
    } catch (err) {
        // The parser reports its own errors; this is the net for one it did not expect.
        problems.error(at(0), `the file could not be read as YAML (${firstLine(String((err as Error)?.message ?? err))}); fix the syntax, or write the file again from \`entra-guests template\``);
        return undefined;
    }
    let tooDeep = false;
    for (const e of doc.errors) {
        // The parser recurses per level of nesting and runs out of stack on deep brackets.
        if (/Maximum call stack size exceeded/.test(e.message)) {
            if (!tooDeep) problems.error(at(e.pos[0]), `the file nests lists or mappings too deeply to read; ${DEPTH_FIX}`);
            tooDeep = true;
            continue;
        }
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
    return doc.errors.length > 0 || doc.warnings.length > 0 ? undefined : new YamlTree(doc, text);
}

/**
 * `groups: A, B` in YAML is one string; read as a CSV cell it would be one group "A, B" (a
 * CSV cell splits on ";" and "|" only), and split on "," it would break a name with a comma.
 * A list field given as one text with a separator is refused with both ways to write it; a
 * plain name, like `groups: Partners`, is still a list of one.
 */
function refuseListText(declared: Declared, problems: Problems): void {
    for (const field of ["groups", "apps"] as const) {
        const value = declared.values[field];
        if (typeof value !== "string") continue;
        const separator = /[,;|]/.exec(value)?.[0];
        if (separator === undefined) continue;
        const items = value.split(/[,;|]/).map((s) => s.trim()).filter((s) => s !== "");
        const list = items.map((item) => (field === "apps" ? appItem(item) : yamlText(item))).join(", ");
        problems.error(
            declared.locate([field]),
            `\`${field}\` is one text with "${separator}" in it (got ${quote(value)}); write a YAML list: ${field}: [${list}], or ${field}: [${JSON.stringify(value.trim())}] if it is one name`,
        );
        delete declared.values[field];
    }
}

/** "Portal:Reader" as a YAML list item: a string item names an app, a role needs `{ app, role }`. */
function appItem(item: string): string {
    const i = item.lastIndexOf(":");
    if (i <= 0 || item.slice(i + 1).trim() === "") return yamlText(item);
    return `{ app: ${yamlText(item.slice(0, i).trim())}, role: ${yamlText(item.slice(i + 1).trim())} }`;
}

/** A name as a YAML flow item: plain when that reads back as the same text, quoted otherwise. */
function yamlText(item: string): string {
    return /^[A-Za-z0-9_][\w .@&()'/+-]*$/.test(item) && !/\s$/.test(item) ? item : JSON.stringify(item);
}

const SECTION_HINT = {
    defaults: 'write guest fields like "redirectUrl: https://..." under it',
    policy: "write allowedDomains and blockedDomains lists under it",
    catalog: "write groups and apps mappings of alias: name or ID under it",
};

function declare(tree: YamlTree, base: (string | number)[], values: Record<string, unknown>, at: (offset: number) => Location): Declared {
    const entry = nodeLocation(tree, base, at) as Location & { line: number };
    return {
        at: entry,
        values,
        locate(path, key) {
            const steps = path.map((p) => (typeof p === "number" ? p : String(p)));
            if (key && steps.length >= 1) {
                const keyAt = keyLocation(tree, [...base, ...steps.slice(0, -1)], String(steps[steps.length - 1]), at);
                if (keyAt) return keyAt;
            }
            const node = tree.nodeAt([...base, ...steps]);
            if (node && node.range) return at(node.range[0]);
            // An unknown key's value may be null; point at the key instead.
            if (steps.length === 1) return keyLocation(tree, base, String(steps[0]), at) ?? entry;
            return entry;
        },
    };
}

function nodeLocation(tree: YamlTree, path: (string | number)[], at: (offset: number) => Location): Location {
    const node = tree.nodeAt(path);
    return node?.range ? at(node.range[0]) : at(0);
}

function keyLocation(tree: YamlTree, base: (string | number)[], key: string, at: (offset: number) => Location): Location | undefined {
    const map = tree.deref(tree.nodeAt(base));
    if (!isMap(map)) return undefined;
    const pair = tree.pairOf(map, key);
    return isNode(pair?.key) && pair.key.range ? at(pair.key.range[0]) : undefined;
}

function firstLine(message: string): string {
    return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
