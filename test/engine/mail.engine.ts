import * as assert from "assert";
import { SimStack, warnings } from "./harness";
import { sampleTenant } from "./fixtures";

/** Files shaped like a New-MgInvitation script's and an HR export, as teams already have them. */
const FILES = {
    "invite.csv": [
        "InvitedUserEmailAddress,InvitedUserDisplayName,InviteRedirectUrl,SendInvitationMessage,Message",
        "ann@fabrikam.com,Ann Lee,https://portal.contoso.com,TRUE,Welcome to Falcon",
        "bo@fabrikam.com,Bo Chen,https://portal.contoso.com,FALSE,Welcome to Falcon",
        "",
    ].join("\n"),
    "hr.csv": ["Email,DisplayName,FirstName,LastName,CompanyName", "cy@fabrikam.com,Cy Diaz,Cy,Diaz,Fabrikam", ""].join("\n"),
};

describe("engine: who is mailed is what the files say", () => {
    it("SendInvitationMessage mails one guest and not the other; an HR export's guest is invited without mail and its properties are not applied", async () => {
        const sim = await SimStack.create(FILES, sampleTenant());
        const up = await sim.up();
        assert.strictEqual(up.ok, true, up.failure);
        const t = sim.tenant();
        // Exactly one mail, to the guest whose SendInvitationMessage is TRUE, with the file's message.
        assert.deepStrictEqual(
            t.mail.map((m) => [m.to, m.body]),
            [["ann@fabrikam.com", "Welcome to Falcon"]],
        );
        assert.deepStrictEqual(
            t.invitations.map((i) => [i.invitedUserEmailAddress, i.sendInvitationMessage]).sort(),
            [
                ["ann@fabrikam.com", true],
                ["bo@fabrikam.com", false],
                ["cy@fabrikam.com", false],
            ],
        );
        // The user properties are read, and said not to be applied: the user has none of them.
        const cy = t.users.find((u) => u.mail === "cy@fabrikam.com")!;
        assert.strictEqual(cy.companyName, null);
        const said = warnings(up).filter((w) => w.includes("user properties"));
        assert.strictEqual(said.length, 1, warnings(up).join("\n"));
        assert.match(said[0], /hr\.csv:2:\d+: this file gives the user properties givenName, surname, companyName: .* not yet applied/);
    });
});
