import { strict as assert } from "assert";
import { lines, rosterOf } from "./helpers/roster";

// A header that is not one we read says which cell was meant as the email column: one located
// error, and nothing else about the header.

const renameToEmail = (label: string) => `the header row names no email column (got ${JSON.stringify(label)}); did you mean \`email\`? rename the column to email`;

describe("csv header hints: the cell meant as the email column", () => {
    it("names the column under a common name for the address, in the portal's languages, and says to rename it to email", async () => {
        const labels = [
            "EmailAddress", "Email Address", "E-mail", "Mail", "E-Mail-Adresse", "Mailadresse", "Courriel", "Adresse e-mail",
            "Adresse courriel", "Correo", "Correo electrónico", "epost", "E-post", "E-postadresse", "Sähköposti", "Indirizzo email",
            "E-mailadres", "Adres e-mail", "E-posta", "Почта", "Электронная почта", "メールアドレス", "电子邮件",
        ];
        const files = Object.fromEntries(labels.map((label, i) => [`f${String(i).padStart(2, "0")}.csv`, `displayName,${label}\nAnn,ann@fabrikam.com\n`]));
        const roster = rosterOf(files);
        assert.deepEqual(lines(roster.errors), labels.map((label, i) => `f${String(i).padStart(2, "0")}.csv:1:13: ${renameToEmail(label)}`));
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests, []);
    });

    it("matches those names whatever their case, spaces, hyphens, underscores and accents, written composed or not", async () => {
        const labels = ["CORREO ELECTRONICO", "correo_electrónico", "Adresse\u00a0e\u2011mail", "Sa\u0308hko\u0308posti", "e_post_adresse", "INDIRIZZO-EMAIL"];
        const roster = rosterOf(Object.fromEntries(labels.map((label, i) => [`f${i}.csv`, `displayName,${label}\nAnn,ann@fabrikam.com\n`])));
        assert.deepEqual(lines(roster.errors), labels.map((label, i) => `f${i}.csv:1:13: ${renameToEmail(label)}`));
        assert.deepEqual(roster.warnings, []);
    });

    it("points at the address column in a legacy or portal header too, with no warning for that column", async () => {
        const roster = rosterOf({
            "legacy.csv": "DisplayName,InvitedToGroups,Courriel\nAnn,Partners,ann@fabrikam.com\n",
            "portal.csv": "Name [displayName],Correo electrónico\nAnn,ann@fabrikam.com\n",
        });
        assert.deepEqual(lines(roster.errors), [`legacy.csv:1:29: ${renameToEmail("Courriel")}`, `portal.csv:1:20: ${renameToEmail("Correo electrónico")}`]);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests, []);
    });

    it("says to rename a misspelt PowerShell address column to InvitedUserEmailAddress, keeping the file PowerShell's", async () => {
        const labels = ["InvitedUserEmail", "InvitedUserEmailAdress", "Invited User E-mail", "InvitedUsersEmailAddress"];
        const roster = rosterOf(Object.fromEntries(labels.map((label, i) => [`f${i}.csv`, `Name,${label}\nAnn,ann@fabrikam.com\n`])));
        assert.deepEqual(
            lines(roster.errors),
            labels.map((label, i) => `f${i}.csv:1:6: the header row names no email column (got ${JSON.stringify(label)}); did you mean \`InvitedUserEmailAddress\`? rename the column to InvitedUserEmailAddress`),
        );
        assert.deepEqual(roster.warnings, []);
    });

    it("does not take another person's address or PowerShell's other columns for the guest's address", async () => {
        const headers = ["displayName,Manager email", "displayName,Sponsor E-Mail", "Name,InvitedUserName", "Name,InvitedUserDisplayName"];
        const roster = rosterOf(Object.fromEntries(headers.map((header, i) => [`f${i}.csv`, `${header}\nAnn,x\n`])));
        assert.deepEqual(
            lines(roster.errors),
            headers.map(
                (header, i) =>
                    `f${i}.csv:1:1: the header row names no email column (got ${JSON.stringify(header)}); start the file with a header like email,displayName,groups, or the portal template (\`entra-guests template\`)`,
            ),
        );
        assert.deepEqual(roster.warnings, []);
    });
});
