// The markdown diff, cut to a size: GitHub refuses a comment over 65,536 characters
// and a job summary over 1 MiB, and a refused comment hides the diff of exactly the pull request
// that needs it most (an import of 20,000 guests). The summary is built before any cut, so its
// counts stay exact; only whole table rows or whole lines are left out, never part of one, so no
// escape, code span or row is ever split. Sizes are UTF-8 bytes: a limit in bytes
// holds whether GitHub counts bytes, UTF-16 units or characters. No Pulumi here.
import { forMarkdown, forTerminal, markdownBlock } from "../text/escape";

export const ICONS = { "+": "➕", "-": "➖", "~": "✏️", "!": "⏳" } as const;
export type Sign = keyof typeof ICONS;

/** The order the cut line names the kinds in: removals first, they are what a reviewer must see. */
const KINDS: Sign[] = ["-", "~", "+", "!"];
const NAMES: Record<Sign, string> = { "-": "removed", "~": "changed", "!": "expiring", "+": "added" };

/** Above this many detail rows, the table is folded into a <details> block. */
const FOLD_AFTER = 15;

export interface CutOptions {
    /** The most UTF-8 bytes the markdown may take; whole rows are left out to fit. */
    maxBytes?: number;
    /** Where the whole diff is, for the line that says what was left out (plain text). */
    restIn?: string;
}

/** One table row, already escaped, and what kind of change it shows. */
export interface Row {
    sign: Sign;
    text: string;
}

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const DEFAULT_REST_IN = "the output of `entra-guests diff` without `--max-bytes`";

/** `head` (the summary lines), then the table of `rows`, cut to `options.maxBytes`. */
export function markdownDiff(head: string[], rows: Row[], options: CutOptions): string {
    const whole = layout(head, rows.map((r) => r.text), rows.length);
    const max = options.maxBytes;
    if (max === undefined || bytes(whole) <= max) return whole;
    const restIn = options.restIn === undefined ? DEFAULT_REST_IN : forMarkdown(options.restIn);
    const totals = countBySign(rows.map((_, i) => i), rows);
    // Everything but the rows, with every count as long as it can get: what is left is for rows.
    const worst = layout(head, [], rows.length, { shown: rows.length, line: cutLine(totals, totals, max, restIn) }, true);
    const chosen = choose(rows, max - bytes(worst));
    const line = cutLine(countBySign(chosen, rows), totals, max, restIn);
    return layout(head, chosen.map((i) => rows[i].text), rows.length, { shown: chosen.length, line });
}

/**
 * The rows that fit in `budget` bytes, in their order: every removal that fits first, then the
 * other kinds in turn, one row each, so that 3 new guests still show beside 20,000 changed ones.
 * A row too long for what is left is skipped, not cut.
 */
function choose(rows: Row[], budget: number): number[] {
    const chosen: number[] = [];
    const take = (i: number) => {
        const cost = bytes(rows[i].text) + 1;
        if (cost > budget) return;
        chosen.push(i);
        budget -= cost;
    };
    const queues = KINDS.map((sign) => rows.map((r, i) => (r.sign === sign ? i : -1)).filter((i) => i >= 0));
    queues.shift()!.forEach(take);
    for (let turn = 0; queues.some((q) => turn < q.length); turn++) {
        for (const q of queues) if (turn < q.length) take(q[turn]);
    }
    return chosen.sort((a, b) => a - b);
}

function layout(head: string[], rows: string[], total: number, cut?: { shown: number; line: string }, withTable = false): string {
    const out = [...head];
    if (rows.length > 0 || withTable) {
        const table = ["", "| | guest | change |", "| --- | --- | --- |", ...rows];
        const count = cut ? `${total} changes, ${cut.shown} shown` : `${total} changes`;
        if (total > FOLD_AFTER) out.push("", `<details><summary>${count}</summary>`, ...table, "", "</details>");
        else out.push(...table);
    }
    if (cut) out.push("", cut.line);
    return out.join("\n") + "\n";
}

function countBySign(indexes: number[], rows: Row[]): Record<Sign, number> {
    const counts: Record<Sign, number> = { "+": 0, "-": 0, "~": 0, "!": 0 };
    for (const i of indexes) counts[rows[i].sign]++;
    return counts;
}

function cutLine(shown: Record<Sign, number>, totals: Record<Sign, number>, max: number, restIn: string): string {
    const all = KINDS.reduce((n, s) => n + totals[s], 0);
    const some = KINDS.reduce((n, s) => n + shown[s], 0);
    const kinds = KINDS.filter((s) => totals[s] > 0).map((s) => `${NAMES[s]} ${shown[s]} of ${totals[s]}`);
    return `**Only ${some} of ${all} changes are shown** (${kinds.join(", ")}) to fit in ${max} bytes; every change is in ${restIn}.`;
}

/**
 * Problem lines (already fit for a terminal) as a fenced code block, not markdown, cut
 * between lines to `options.maxBytes`. The last line, the count of errors, is always kept.
 */
export function markdownLines(text: string, options: CutOptions): string {
    const whole = markdownBlock(text);
    const max = options.maxBytes;
    if (max === undefined || bytes(whole) <= max) return whole;
    const lines = text.replace(/\n$/, "").split("\n");
    const last = lines.pop() ?? "";
    const restIn = options.restIn === undefined ? DEFAULT_REST_IN : forTerminal(options.restIn);
    const note = (n: number) => `... ${n} more lines not shown; every line is in ${restIn}`;
    // The fence of the whole text is the longest any part of it needs.
    const fence = markdownBlock(`${text}\n${note(lines.length)}`).indexOf("\n");
    let budget = max - (2 * (fence + 1) + bytes(note(lines.length)) + 1 + bytes(last) + 1);
    let kept = 0;
    while (kept < lines.length && bytes(lines[kept]) + 1 <= budget) budget -= bytes(lines[kept++]) + 1;
    return markdownBlock([...lines.slice(0, kept), note(lines.length - kept), last].join("\n"));
}
