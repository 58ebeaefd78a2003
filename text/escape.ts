// Text from guest files is untrusted: a display name, a group or a file name can carry
// terminal escape sequences, a line break that fakes a `file:1:1:` line, or markdown that turns
// a PR comment into an @team mention, a link or a bold "LGTM". Every printer escapes such text
// for its medium here, at the output boundary, whatever built the message. No Pulumi here.

/**
 * Characters a terminal acts on or that change what a reader sees, shown as escapes: C0 controls
 * (ESC, BEL, backspace, CR, LF...), DEL, C1 controls (0x9b is an 8-bit CSI), the Unicode line
 * and paragraph separators, and the bidirectional controls that reorder a line (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One line of terminal text: every control character shown as `\n`, `\x1b`, `\u202e`. */
export function forTerminal(text: string): string {
    return text.replace(INVISIBLE, (c) => {
        const code = c.charCodeAt(0);
        return NAMED[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
    });
}

function hex(code: number, width: number): string {
    return code.toString(16).padStart(width, "0");
}

/**
 * Markdown's active characters, backslash-escaped (CommonMark renders `\` + ASCII punctuation as
 * that character): `\` itself, code spans, emphasis and strikethrough, links, images, footnotes
 * and task boxes, inline HTML and autolinks, character references, table cells, headings, GitHub
 * math, and `:` so that no scheme (`https:`, `mailto:`) becomes a link.
 */
const MARKDOWN_ACTIVE = /[\\`*_~[\]<>&|#$:]/g;

/**
 * Inline markdown (a table cell or a paragraph) that renders exactly as `text`. Line breaks never
 * reach the output (shown as `\n`), so a value cannot end a table row nor start a heading, a list
 * or a quote. The dot of `www.` is escaped too, so no `www.` autolink. GitHub finds @mentions in
 * the rendered text, where a backslash is gone: a zero-width joiner after an `@` that could
 * start one (not preceded by a letter or digit, as in an address) breaks it.
 */
export function forMarkdown(text: string): string {
    return forTerminal(text)
        .replace(MARKDOWN_ACTIVE, "\\$&")
        .replace(/(?<![A-Za-z0-9])@/g, "@\u200d")
        .replace(/(?<![A-Za-z0-9])(www)\./gi, "$1\\.");
}

/** A markdown code span holding `text` exactly: its fence is longer than any backtick run inside. */
export function markdownCode(text: string): string {
    const shown = forTerminal(text);
    const fence = "`".repeat(longestRun(shown, "`") + 1);
    // CommonMark strips one space from each end when both are spaces, and a backtick at an end
    // would join the fence: pad with a space then.
    const pad = /^`|`$/.test(shown) || /^ .* $/.test(shown) ? " " : "";
    return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced code block holding `text` (lines already fit for a terminal) exactly. */
export function markdownBlock(text: string): string {
    const shown = text.endsWith("\n") ? text : `${text}\n`;
    const fence = "`".repeat(Math.max(3, longestRun(shown, "`") + 1));
    return `${fence}\n${shown}${fence}\n`;
}

function longestRun(text: string, char: string): number {
    let longest = 0;
    let run = 0;
    for (const c of text) {
        run = c === char ? run + 1 : 0;
        longest = Math.max(longest, run);
    }
    return longest;
}

// GitHub workflow commands, per https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
// The runner decodes %25, %0D and %0A, so a literal "%0A" in a value must become "%250A".

/** The message of a workflow command (`::error ...::message`), one visible line. */
export function forAnnotationMessage(text: string): string {
    return forTerminal(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value of a workflow command (`file=...`): `,` and `:` would end or split it. */
export function forAnnotationProperty(text: string): string {
    return forAnnotationMessage(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
