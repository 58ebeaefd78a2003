/**
 * The closest of `candidates` to `word` (case-insensitive), if it is close enough to be a typo:
 * within `maxDistance` edits when given, else the default below.
 */
export function closest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
    const target = word.toLowerCase();
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = distance(target, candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    // Two edits, or a third of a long word: "gest" -> "guests", but "colour" is no "cc".
    return bestDistance <= (maxDistance ?? Math.max(2, Math.floor(target.length / 3))) ? best : undefined;
}

/** ", did you mean `x`?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
    const hit = closest(word, candidates);
    return hit === undefined ? "" : `did you mean \`${hit}\`? `;
}

/** Levenshtein distance with transpositions counted as one edit. */
export function distance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => {
        const row = new Array<number>(cols).fill(0);
        row[0] = i;
        return row;
    });
    for (let j = 0; j < cols; j++) d[0][j] = j;
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}
