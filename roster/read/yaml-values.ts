import { Alias, Document, isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar, visit, YAMLMap } from "yaml";
import { quote } from "../problems";

/**
 * A parsed YAML document read as a guest file means it, rather than with `toJS()`:
 * - every scalar is its text as written: `displayName: 007` is "007", not 7; `1.10`, `0x1F`,
 *   `.inf` and `!!timestamp 2027-02-30` too, so that a date is checked as written, not after
 *   JavaScript rolled it over. Booleans and dates are text their field checks already read;
 * - a null word (`~`, `null`, `Null`) where free text or a name is read is refused: the
 *   surname Null is not "no display name". Nothing written stays "not given", as an empty cell;
 * - an alias to a value that contains it, a too-deep nesting and an alias bomb are located
 *   problems, never a circular object that crashes whoever prints it.
 */

export interface YamlProblem {
    offset: number;
    message: string;
    /** The file's shape is broken (a cycle, an unknown alias...): its values are not read on. */
    fatal: boolean;
}

// A guest file needs about 6 levels (guests, entry, apps, entry, role); deeper is a mistake,
// and refusing it early keeps the recursion below far from the call-stack limit.
export const MAX_DEPTH = 64;

/**
 * What a YAML null word means at a place. Only where free text or a name is read can the word
 * itself be meant; elsewhere (an address, a flag, a date, a list) null is "not given", as YAML
 * says, and the field's own check refuses it where a value is required.
 * - "keep": null; "refuse": an error, then "not given"; "refuse-as-text": an error, then the
 *   word as text, so that the check of a name adds no second message about the same word.
 */
type NullRule = "keep" | "refuse" | "refuse-as-text";

function nullRule(field: readonly string[], listItem: boolean): NullRule {
    const last = field[field.length - 1];
    if (field[0] === "catalog") return field.length === 3 && !listItem ? "refuse-as-text" : "keep";
    if (field[0] !== "guests" && field[0] !== "defaults") return "keep";
    if (listItem) return last === "groups" || last === "apps" ? "refuse-as-text" : "keep";
    if (last === "app") return "refuse-as-text";
    return last === "displayName" || last === "message" || last === "role" ? "refuse" : "keep";
}

export const DEPTH_FIX = "a guest file needs a few levels, remove the extra brackets or indentation";
const CYCLE = "refers to the value that contains it, which would never end; write the values out instead";
// Kept as the message of `toJS({ maxAliasCount })` that this budget replaces.
const TOO_MANY_ALIASES = "the file uses too many YAML aliases (Excessive alias count indicates a resource exhaustion attack); write the values out instead of nesting aliases";

class AliasBudgetSpent extends Error {}

/** The document's values as a guest file means them, and the problems found reading them. */
export function readValues(tree: YamlTree): { value: unknown; problems: YamlProblem[] } {
    const reader = new Reader(tree);
    try {
        return { value: reader.value(tree.doc.contents, [], "keep", 0), problems: reader.problems };
    } catch (err) {
        if (!(err instanceof AliasBudgetSpent)) throw err;
        return { value: undefined, problems: [{ offset: 0, message: TOO_MANY_ALIASES, fatal: true }] };
    }
}

/** A parsed document with its aliases resolved once, navigable by the paths of its values. */
export class YamlTree {
    /** Resolved at the first alias: most guest files have none, and the walk visits every node. */
    private targets: Map<Alias, Node> | undefined;

    constructor(
        readonly doc: Document,
        readonly text: string,
    ) {}

    /** The node an alias names; a node that is no alias is itself. */
    deref(node: unknown): Node | undefined {
        if (isAlias(node)) return (this.targets ??= aliasTargets(this.doc)).get(node);
        return node as Node | undefined;
    }

    /** The pair of `key` in a mapping, its own keys first, then what `<<` merges into it. */
    pairOf(map: YAMLMap, key: string, depth = 0): Pair | undefined {
        let merged: Pair | undefined;
        for (const pair of map.items) {
            if (isMergeKey(pair.key)) {
                if (merged || depth > MAX_DEPTH) continue;
                const value = this.deref(pair.value);
                for (const source of isSeq(value) ? value.items.map((n) => this.deref(n)) : [value]) {
                    if (isMap(source)) merged ??= this.pairOf(source, key, depth + 1);
                }
            } else if (this.keyText(pair.key) === key) return pair;
        }
        return merged;
    }

    /** The node at `path` (keys and list indexes), or undefined; aliases followed on the way. */
    nodeAt(path: readonly (string | number)[]): Node | undefined {
        let node = this.doc.contents as Node | undefined;
        for (const step of path) {
            const here = this.deref(node);
            if (isSeq(here) && typeof step === "number") node = here.items[step] as Node | undefined;
            else if (isMap(here)) node = this.pairOf(here, String(step))?.value as Node | undefined;
            else return undefined;
        }
        return node;
    }

    /** A scalar key's text as written; undefined for a key that is a list or mapping. */
    keyText(key: unknown): string | undefined {
        const node = this.deref(key);
        if (node === null || node === undefined) return "";
        return isScalar(node) ? scalarText(node) : undefined;
    }

    /** What the file says from `node` on, for a message. */
    source(node: Node): string {
        return node.range ? this.text.slice(node.range[0], node.range[1]) : "";
    }
}

/**
 * Each alias's target: the last anchor of its name before it (YAML 1.2, as Alias.resolve),
 * resolved in one pass because Alias.resolve walks the whole document per alias.
 */
function aliasTargets(doc: Document): Map<Alias, Node> {
    const targets = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    visit(doc, {
        Node: (_key, node) => {
            if (isAlias(node)) {
                const target = anchors.get(node.source);
                if (target) targets.set(node, target);
            } else if (node.anchor) anchors.set(node.anchor, node);
        },
    });
    return targets;
}

function isMergeKey(key: unknown): boolean {
    return isScalar(key) && typeof key.value === "symbol";
}

function scalarText(node: Scalar): string {
    return typeof node.source === "string" ? node.source : String(node.value);
}

class Reader {
    readonly problems: YamlProblem[] = [];
    /** Anchored nodes being read: an alias to one of them is a cycle. */
    private readonly open = new Set<Node>();
    // Values made, at most the file's own size plus a margin: shared group lists stay cheap,
    // nested aliases that multiply (a "billion laughs") stop early.
    private budget: number;

    constructor(private readonly tree: YamlTree) {
        this.budget = 10_000 + tree.text.length;
    }

    /** `field`: the keys that lead here; `nulls`: what a YAML null means here. */
    value(node: unknown, field: string[], nulls: NullRule, depth: number): unknown {
        if (node === null || node === undefined) return null;
        if (--this.budget < 0) throw new AliasBudgetSpent();
        if (isAlias(node)) {
            const target = this.tree.deref(node);
            if (target === undefined) {
                this.report(node, `the alias *${node.source} names no anchor before it; write &${node.source} on the value it stands for, above this line, or write the value out`, true);
                return null;
            }
            if (this.open.has(target)) {
                this.report(node, `the alias *${node.source} ${CYCLE}`, true);
                return null;
            }
            return this.value(target, field, nulls, depth);
        }
        if (isScalar(node)) return this.scalar(node, field, nulls);
        if (depth >= MAX_DEPTH) {
            this.report(node as Node, `the file nests lists or mappings more than ${MAX_DEPTH} deep; ${DEPTH_FIX}`, true);
            return null;
        }
        const anchored = (node as Node).anchor !== undefined;
        if (anchored) this.open.add(node as Node);
        try {
            if (isSeq(node)) {
                const items = nullRule(field, true);
                return node.items.map((item) => this.value(item, field, items, depth + 1));
            }
            if (isMap(node)) return this.map(node, field, depth);
            return null;
        } finally {
            if (anchored) this.open.delete(node as Node);
        }
    }

    private scalar(node: Scalar, field: string[], nulls: NullRule): unknown {
        if (node.value !== null && node.value !== undefined) return scalarText(node);
        const written = (node.source ?? "").trim();
        if (written === "" || nulls === "keep") return null;
        const name = (field[0] === "guests" || field[0] === "defaults" ? field.slice(1) : field).join(".");
        this.report(node, `\`${name}\` is YAML's null, not text (got ${quote(written)}); write it in quotes (${JSON.stringify(written)}) if you mean the text, or delete it`, false);
        return nulls === "refuse-as-text" ? written : null;
    }

    private map(node: YAMLMap, field: string[], depth: number): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
            if (isMergeKey(pair.key)) {
                // Merged keys fill what the mapping has not set so far; later keys override them.
                for (const source of this.mergeSources(pair.value, field, depth)) {
                    for (const key of Object.keys(source)) if (!Object.hasOwn(out, key)) set(out, key, source[key]);
                }
                continue;
            }
            const key = this.tree.keyText(pair.key);
            if (key === undefined) {
                const keyNode = this.tree.deref(pair.key) as Node;
                this.report(pair.key as Node, `a key must be text (got ${quote(this.tree.source(keyNode))}); write the field's name, like displayName`, true);
                continue;
            }
            const path = [...field, key];
            set(out, key, this.value(pair.value, path, nullRule(path, false), depth + 1));
        }
        return out;
    }

    /** `<<: *a` or `<<: [*a, *b]`: each must be a mapping. */
    private mergeSources(value: unknown, field: string[], depth: number): Record<string, unknown>[] {
        const target = this.tree.deref(value);
        const items: unknown[] = isSeq(target) && !isAlias(value) ? target.items : [value];
        const sources: Record<string, unknown>[] = [];
        for (const item of items) {
            const read = this.value(item, field, "keep", depth + 1);
            if (read !== null && typeof read === "object" && !Array.isArray(read)) sources.push(read as Record<string, unknown>);
            else if (read !== null || !isMap(this.tree.deref(item))) {
                this.report(item as Node, `a merge key \`<<\` must name a mapping (got ${quote(read)}); merge an alias of a mapping, like <<: *defaults`, true);
            }
        }
        return sources;
    }

    private report(node: Node, message: string, fatal: boolean): void {
        this.problems.push({ offset: node.range?.[0] ?? 0, message, fatal });
    }
}

/** Sets a key as data: a key named `__proto__` must not replace the object's prototype. */
function set(out: Record<string, unknown>, key: string, value: unknown): void {
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
}
