/**
 * A guest's user principal name as Graph writes it: the invited address with its `@` turned
 * into `_`, then `#EXT#@` and the inviting tenant's domain, like
 * `ann_fabrikam.com#EXT#@contoso.onmicrosoft.com` for ann@fabrikam.com.
 */
const GUEST_UPN = /#EXT#@[^@]+$/i;

/**
 * The address a guest's user principal name stands for, lower-cased as addresses are, or
 * undefined when `upn` does not have the `#EXT#` form. A domain has no `_`, so the last `_`
 * before `#EXT#` is the `@`: `ann_lee_fabrikam.com#EXT#@...` is ann_lee@fabrikam.com.
 */
export function addressOfGuestUpn(upn: string): string | undefined {
    const text = upn.trim();
    const ext = GUEST_UPN.exec(text);
    if (!ext) return undefined;
    const before = text.slice(0, ext.index);
    const at = before.lastIndexOf("_");
    if (at <= 0 || at === before.length - 1 || before.includes("@")) return undefined;
    return `${before.slice(0, at)}@${before.slice(at + 1)}`.normalize("NFC").toLowerCase();
}
