import { strict as assert } from "assert";
import { addressOfGuestUpn } from "../roster/read/guest-upn";

describe("guest UPNs: the address a guest's user principal name stands for", () => {
    it("turns the last _ before #EXT# back into the @ and drops the tenant", async () => {
        assert.equal(addressOfGuestUpn("ann_fabrikam.com#EXT#@contoso.onmicrosoft.com"), "ann@fabrikam.com");
        assert.equal(addressOfGuestUpn("  bo.chen_mail.fabrikam.co.uk#EXT#@contoso.onmicrosoft.com "), "bo.chen@mail.fabrikam.co.uk");
    });

    it("keeps the underscores of the name part: only the last one is the @", async () => {
        assert.equal(addressOfGuestUpn("ann_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com"), "ann_lee@fabrikam.com");
        assert.equal(addressOfGuestUpn("a__b_fabrikam.com#EXT#@contoso.onmicrosoft.com"), "a__b@fabrikam.com");
    });

    it("keeps the case of what it decodes, then lower-cases the address as every address is", async () => {
        assert.equal(addressOfGuestUpn("Ann.Lee_Fabrikam.COM#EXT#@Contoso.onmicrosoft.com"), "ann.lee@fabrikam.com");
        assert.equal(addressOfGuestUpn("ann_fabrikam.com#ext#@contoso.onmicrosoft.com"), "ann@fabrikam.com");
    });

    it("gives undefined for anything without the #EXT# form", async () => {
        for (const upn of [
            "ann@contoso.com",
            "ann_fabrikam.com@contoso.onmicrosoft.com",
            "ann_fabrikam.com#EXT#",
            "ann_fabrikam.com#EXT#@",
            "ann_fabrikam.com#EXT#@contoso.com@x",
            "annfabrikam.com#EXT#@contoso.onmicrosoft.com",
            "_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "ann_#EXT#@contoso.onmicrosoft.com",
            "ann@x_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "",
        ]) {
            assert.equal(addressOfGuestUpn(upn), undefined, JSON.stringify(upn));
        }
    });
});
