import { RowName, ROWS } from "./roster";
import type { Options, SplitResult } from "./split";
import type { Measured, Program } from "./stack";

/** One recorded `npm run bench:engine` run, as tools/bench/results.json keeps it. */
export interface EngineRun {
    date: string;
    guests: number;
    options: Omit<Options, "guests" | "runs">;
    rows: Record<Program, Partial<Record<RowName, Measured>>>;
}

const ROW_NAMES: readonly RowName[] = ROWS;

type Metric = [label: string, get: (m: Measured) => number, digits: number];

const METRICS: Metric[] = [
    ["time s", (m) => m.seconds, 1],
    ["engine MB", (m) => m.peakMB.engine, 0],
    ["host + program MB", (m) => m.peakMB.languageHost + m.peakMB.program, 0],
    ["state KB", (m) => m.stateBytes / 1024, 0],
    ["requests", (m) => m.calls.provider + m.calls.http, 0],
    ["waits s (unscaled)", (m) => m.calls.waitSeconds, 0],
];

function span(values: number[], digits: number, suffix = ""): string {
    if (values.length === 0) return "-";
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const f = (v: number) => v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return lo === hi || f(lo) === f(hi) ? `${f(lo)}${suffix}` : `${f(lo)}-${f(hi)}${suffix}`;
}

/** One markdown table: each figure the range across runs, the ratio ours/naive per run then its range. */
export function rangeTable(runs: EngineRun[], split?: SplitResult): string {
    const lines: string[] = [];
    if (runs.length > 0) {
        lines.push(`${runs[0].guests.toLocaleString("en-US")} guests x 2 groups, ${runs.length} run(s), load ${span(runs.flatMap((r) => Object.values(r.rows).flatMap((rows) => Object.values(rows).map((m) => m!.load))), 2)}`, "");
        lines.push(`| row | ${METRICS.map(([l]) => `${l}: ours | naive | ratio`).join(" | ")} |`);
        lines.push(`| --- | ${METRICS.map(() => "---: | ---: | ---:").join(" | ")} |`);
        for (const row of ROW_NAMES) {
            const cells = METRICS.map(([, get, digits]) => {
                const ours = runs.map((r) => r.rows.ours[row]).filter((m): m is Measured => m !== undefined);
                const naive = runs.map((r) => r.rows.naive[row]).filter((m): m is Measured => m !== undefined);
                const ratios = runs.filter((r) => r.rows.ours[row] && r.rows.naive[row] && get(r.rows.naive[row]!) > 0).map((r) => get(r.rows.ours[row]!) / get(r.rows.naive[row]!));
                return `${span(ours.map(get), digits)} | ${span(naive.map(get), digits)} | ${span(ratios, 2, "x")}`;
            });
            lines.push(`| ${row} | ${cells.join(" | ")} |`);
        }
        lines.push("");
    }
    if (split) {
        lines.push(`Split: ${split.guests.toLocaleString("en-US")} guests over two stacks, one tenant; the tenant then holds ${split.tenant.guestUsers} guest users and ${split.tenant.memberships} memberships`, "");
        lines.push("| stack | files | preview s | up s | up requests | up waits s | engine MB | host + program MB | state KB |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (const s of split.stacks) {
            lines.push(`| ${s.name} | \`${s.glob}\` | ${s.preview.seconds.toFixed(1)} | ${s.up.seconds.toFixed(1)} | ${s.up.calls.provider + s.up.calls.http} | ${s.up.calls.waitSeconds.toFixed(0)} | ${s.up.peakMB.engine.toFixed(0)} | ${(s.up.peakMB.languageHost + s.up.peakMB.program).toFixed(0)} | ${(s.up.stateBytes / 1024).toFixed(0)} |`);
        }
        lines.push("");
    }
    return lines.join("\n");
}
