import { isUtf8 } from "buffer";
import { TextDecoder } from "util";

/**
 * A declaration file as UTF-8 bytes without a BOM (what csv-parse reads fastest), with its
 * text on demand; or why it cannot be read as text.
 */
export type Decoded = { ok: true; utf8: Buffer; text(): string; encoding: string } | { ok: false; message: string };

const UTF16LE = new TextDecoder("utf-16le", { fatal: true });
const UTF16BE = new TextDecoder("utf-16be", { fatal: true });

/**
 * Decodes UTF-8 (with or without a BOM) and UTF-16 (Excel's "Unicode Text" is UTF-16LE with a
 * BOM). Anything else, such as Excel's "CSV (Comma delimited)" in Windows-1252, is refused with
 * the way to save it as UTF-8: guessing a code page would silently corrupt names.
 */
export function decode(bytes: Uint8Array): Decoded {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fromText = (text: string, encoding: string): Decoded => ({ ok: true, utf8: Buffer.from(text, "utf8"), text: () => text, encoding });
    try {
        if (bytes[0] === 0xff && bytes[1] === 0xfe) return fromText(UTF16LE.decode(bytes.subarray(2)), "utf-16le");
        if (bytes[0] === 0xfe && bytes[1] === 0xff) return fromText(UTF16BE.decode(bytes.subarray(2)), "utf-16be");
        const bomless = bomlessUtf16(bytes);
        if (bomless) return fromText(bomless.decoder.decode(bytes), bomless.name);
    } catch {
        return { ok: false, message: NOT_TEXT };
    }
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const utf8 = bom ? buffer.subarray(3) : buffer;
    // isUtf8 validates without decoding: the bytes go to the parser as they are.
    if (!isUtf8(utf8)) return { ok: false, message: NOT_TEXT };
    let text: string | undefined;
    return { ok: true, utf8, text: () => (text ??= utf8.toString("utf8")), encoding: bom ? "utf-8 with BOM" : "utf-8" };
}

const NOT_TEXT =
    "the file is not UTF-8 text (Excel's \"CSV (Comma delimited)\" writes a Windows code page); " +
    "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited)\", or save it as UTF-8 in your editor";

/** UTF-16 without a BOM shows as a NUL in every other byte of ASCII text. */
function bomlessUtf16(bytes: Uint8Array): { decoder: TextDecoder; name: string } | undefined {
    const n = Math.min(bytes.length, 512) & ~1;
    if (n < 4) return undefined;
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
        if (bytes[i] === 0) evenNul++;
        if (bytes[i + 1] === 0) oddNul++;
    }
    const half = n / 2;
    if (oddNul > half * 0.4 && evenNul === 0) return { decoder: UTF16LE, name: "utf-16le" };
    if (evenNul > half * 0.4 && oddNul === 0) return { decoder: UTF16BE, name: "utf-16be" };
    return undefined;
}
