import { strict as assert } from "assert";
import { checkApps, checkGroups } from "../roster/rules/references";
import {
    checkBoolean,
    checkCc,
    checkDate,
    checkEmail,
    checkLanguage,
    checkOnRemove,
    checkRedirectUrl,
    checkText,
    checkUserType,
    Checked,
} from "../roster/rules/fields";
import { closest } from "../roster/suggest";

/** Runs a table of [input, expected] through a check; expected is a value or { error }. */
function table<T>(check: (v: unknown) => Checked<T>, rows: [unknown, T | { error: string }][]): void {
    for (const [input, expected] of rows) {
        const result = check(input);
        if (expected !== null && typeof expected === "object" && "error" in (expected as object)) {
            assert.deepEqual(result, { ok: false, message: (expected as { error: string }).error }, `input ${JSON.stringify(input)}`);
        } else {
            assert.deepEqual(result, { ok: true, value: expected }, `input ${JSON.stringify(input)}`);
        }
    }
}

describe("field rules", () => {
    it("normalises an email and applies Graph's address rules", async () => {
        table(checkEmail, [
            ["  Ann.Lee@Fabrikam.COM ", "ann.lee@fabrikam.com"],
            ["o'brien@fabrikam.ie", "o'brien@fabrikam.ie"],
            ["_svc_@fabrikam.com", "_svc_@fabrikam.com"],
            ["ann@sub.fabrikam.co.uk", "ann@sub.fabrikam.co.uk"],
            [undefined, { error: "`email` is missing; every guest needs the address the invitation goes to" }],
            ["  ", { error: "`email` is missing; every guest needs the address the invitation goes to" }],
            ["ann+test@fabrikam.com", { error: '`email` contains "+", which Graph refuses in invited addresses (got "ann+test@fabrikam.com"); invite the address without the plus tag, like ann@fabrikam.com' }],
            ["a#b$c@fabrikam.com", { error: '`email` contains "#", "$", which Graph refuses in invited addresses (got "a#b$c@fabrikam.com"); correct the address' }],
            ["ann lee@fabrikam.com", { error: '`email` contains white space (got "ann lee@fabrikam.com"); remove the spaces inside the address' }],
            ["ann.fabrikam.com", { error: '`email` is not an email address (got "ann.fabrikam.com"); write it as name@domain, like ann@fabrikam.com' }],
            ["a@b@fabrikam.com", { error: '`email` is not an email address (got "a@b@fabrikam.com"); write it as name@domain, like ann@fabrikam.com' }],
            [".ann@fabrikam.com", { error: '`email` starts or ends its name part with "." or "-", which Graph refuses (got ".ann@fabrikam.com"); correct the address' }],
            ["ann-@fabrikam.com", { error: '`email` starts or ends its name part with "." or "-", which Graph refuses (got "ann-@fabrikam.com"); correct the address' }],
            ["ann..lee@fabrikam.com", { error: '`email` has two dots in a row (got "ann..lee@fabrikam.com"); correct the address' }],
            ["ann@fabrikam", { error: '`email` has an invalid domain "fabrikam" (got "ann@fabrikam"); write a full domain, like fabrikam.com' }],
            ["ann@-fabrikam.com", { error: '`email` has an invalid domain "-fabrikam.com" (got "ann@-fabrikam.com"); write a full domain, like fabrikam.com' }],
            [42, { error: '`email` is not an email address (got "42"); write it as name@domain, like ann@fabrikam.com' }],
            [["a@b.com"], { error: '`email` must be text (got "[\\"a@b.com\\"]"); write one address, like ann@fabrikam.com' }],
        ]);
    });

    it("refuses an address outside ASCII, as the azuread provider does, with the punycode form of a Unicode domain", async () => {
        const ascii = "and the azuread provider takes ASCII addresses only";
        const noForm = "a name part has no ASCII form: ask the guest for another address, or retype the character if it is a typo";
        table(checkEmail, [
            ["rené@fabrikam.com", { error: `\`email\` contains "é" (U+00E9) at position 4, in the name part, ${ascii} (got "rené@fabrikam.com"); ${noForm}` }],
            ["ann\u2019s@fabrikam.com", { error: `\`email\` contains "\u2019" (U+2019) at position 4, in the name part, ${ascii} (got "ann\u2019s@fabrikam.com"); ${noForm}` }],
            ["\u0430nn@fabrikam.com", { error: `\`email\` contains "\u0430" (U+0430) at position 1, in the name part, ${ascii} (got "\u0430nn@fabrikam.com"); ${noForm}` }],
            [" Ann@BÜCHER.de ", { error: `\`email\` contains "Ü" (U+00DC) at position 6, in the domain, ${ascii} (got "Ann@BÜCHER.de"); write the internationalised domain in its ASCII (punycode) form, ann@xn--bcher-kva.de, or retype the character if it is a typo` }],
            ["ann@例え.テスト", { error: `\`email\` contains "例" (U+4F8B) at position 5, in the domain, ${ascii} (got "ann@例え.テスト"); write the internationalised domain in its ASCII (punycode) form, ann@xn--r8jz45g.xn--zckzah, or retype the character if it is a typo` }],
            // The name part first: a domain's ASCII form does not help an address whose name has none.
            ["rené@bücher.de", { error: `\`email\` contains "é" (U+00E9) at position 4, in the name part, ${ascii} (got "rené@bücher.de"); ${noForm}` }],
            // Graph's rules and the domain's shape are judged first, with their own messages.
            ["rené+x@fabrikam.com", { error: '`email` contains "+", which Graph refuses in invited addresses (got "rené+x@fabrikam.com"); invite the address without the plus tag, like ann@fabrikam.com' }],
            ["rené@fabrikam", { error: '`email` has an invalid domain "fabrikam" (got "rené@fabrikam"); write a full domain, like fabrikam.com' }],
            ["ann@bücher", { error: '`email` has an invalid domain "bücher" (got "ann@bücher"); write a full domain, like fabrikam.com' }],
            ["ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de"],
        ]);
    });

    it("accepts only absolute http(s) redirect URLs", async () => {
        table(checkRedirectUrl, [
            ["https://myapps.microsoft.com", "https://myapps.microsoft.com"],
            [" http://intranet.contoso.com/start?x=1 ", "http://intranet.contoso.com/start?x=1"],
            ["", undefined],
            ["myapps.microsoft.com", { error: '`redirectUrl` is not an absolute http(s) URL (got "myapps.microsoft.com"); write a full address, like https://myapps.microsoft.com' }],
            ["ftp://files.contoso.com", { error: '`redirectUrl` is not an absolute http(s) URL (got "ftp://files.contoso.com"); write a full address, like https://myapps.microsoft.com' }],
        ]);
    });

    it("reads booleans as true/false/yes/no/1/0 in any case", async () => {
        table((v) => checkBoolean("sendEmail", v), [
            [true, true],
            ["TRUE", true],
            ["Yes", true],
            ["1", true],
            [1, true],
            [false, false],
            ["no", false],
            ["0", false],
            ["False", false],
            ["", undefined],
            [null, undefined],
            ["maybe", { error: '`sendEmail` must be true or false (got "maybe"); write true, false, yes, no, 1 or 0' }],
        ]);
    });

    it("limits the display name to Graph's 256 characters", async () => {
        table((v) => checkText("displayName", v, 256), [
            ["  Ann Lee ", "Ann Lee"],
            ["x".repeat(256), "x".repeat(256)],
            [2024, "2024"],
            ["x".repeat(257), { error: `\`displayName\` is 257 characters long (got "${"x".repeat(77)}..."); shorten it to at most 256` }],
            [{ first: "Ann" }, { error: '`displayName` must be text (got "{\\"first\\":\\"Ann\\"}"); write plain text' }],
        ]);
    });

    it("checks language codes, cc, userType, onRemove and dates", async () => {
        table(checkLanguage, [
            ["de", "de"],
            ["pt-BR", "pt-BR"],
            ["zh-HANS", "zh-HANS"],
            ["German", { error: '`language` is not a language code (got "German"); write an ISO 639 code like en-US, de or pt-BR' }],
        ]);
        table(checkCc, [
            ["Sponsor@Contoso.com", "sponsor@contoso.com"],
            // The provider checks a cc only for being non-empty: Graph's rules, no ASCII rule.
            ["René@Contoso.com", "rené@contoso.com"],
            ["a@contoso.com;b@contoso.com", { error: '`cc` lists 2 addresses (got "a@contoso.com;b@contoso.com"); Graph sends a copy to one recipient only, keep one' }],
            ["sponsor", { error: '`cc` is not an email address (got "sponsor"); write it as name@domain, like ann@fabrikam.com' }],
        ]);
        table(checkUserType, [
            ["guest", "Guest"],
            ["MEMBER", "Member"],
            ["admin", { error: '`userType` must be Guest or Member (got "admin"); write Guest, or Member for an invited member' }],
        ]);
        table(checkOnRemove, [
            ["Retain", "retain"],
            ["delete", "delete"],
            ["keep", { error: '`onRemove` must be delete or retain (got "keep"); write delete to remove the guest user with its row, retain to keep the user' }],
        ]);
        table((v) => checkDate("expires", v), [
            ["2027-02-28", "2027-02-28"],
            ["2028-02-29", "2028-02-29"],
            ["2027-02-29", { error: '`expires` is not a calendar date: February 2027 has 28 days (got "2027-02-29"); write a day that exists, like 2027-02-28' }],
            ["31/03/2027", { error: '`expires` is not a date (got "31/03/2027"); write it as YYYY-MM-DD, like 2027-03-31' }],
        ]);
    });

    it("splits group cells on ; or |, lower-cases object IDs, and drops a repeat with a warning", async () => {
        assert.deepEqual(checkGroups(" Partners ; 0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9|Project X "), {
            ok: true,
            value: ["Partners", "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9", "Project X"],
        });
        assert.deepEqual(checkGroups(["Partners", "partners"]), {
            ok: true,
            value: ["Partners"],
            warnings: ['`groups` lists "partners" twice; it is used once, delete the repeat'],
        });
        assert.deepEqual(checkGroups({ name: "x" }), {
            ok: false,
            message: '`groups` must be a list of group names or object IDs (got "{\\"name\\":\\"x\\"}"); write a YAML list, or separate names with ";" in a CSV cell',
        });
        assert.deepEqual(checkGroups(["Partners", 7]), {
            ok: false,
            message: '`groups` has an entry that is not a group name or object ID (got "7"); write each group\'s display name or object ID',
        });
    });

    it("reads apps as app:role cells or { app, role } entries, one role per app", async () => {
        table(checkApps, [
            ["Contoso Portal:Reader; 1B4F0C7E-2A3D-4E5F-8A9B-0C1D2E3F4A5B", [{ app: "Contoso Portal", role: "Reader" }, { app: "1b4f0c7e-2a3d-4e5f-8a9b-0c1d2e3f4a5b" }]],
            [[{ app: "Portal", role: "Task.Write" }, "Wiki"], [{ app: "Portal", role: "Task.Write" }, { app: "Wiki" }]],
            [[{ app: "Portal", roles: "x" }], { error: '`apps` entry has unknown key `roles` (got "{\\"app\\":\\"Portal\\",\\"roles\\":\\"x\\"}"); an entry has only `app` and `role`' }],
            [[{ role: "Reader" }], { error: '`apps` entry has no `app` (got "{\\"role\\":\\"Reader\\"}"); name the app by its client ID or display name' }],
            ["Portal:Reader;portal:Writer", { error: '`apps` lists "portal" twice (roles "Reader" and "Writer"); a guest gets one role per app, keep one' }],
        ]);
    });

    it("suggests the closest key for a typo, and nothing for a stranger", async () => {
        assert.equal(closest("grups", ["groups", "apps"]), "groups");
        assert.equal(closest("DisplayNmae", ["displayName", "email"]), "displayName");
        assert.equal(closest("colour", ["cc", "email"]), undefined);
    });
});
