import { strict as assert } from "assert";
import { lines, rosterOf } from "./helpers/roster";

// A header that is not one we read says which cell was meant as the email column, or which
// portal template the file is instead: one located error, and nothing else about the header.

const PORTAL_HEADER =
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required," +
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]";
const BULK_CREATE_HEADER =
    "Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required," +
    "Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle]," +
    "Department [department],Usage location [usageLocation],Street address [streetAddress],State or province [state]," +
    "Country or region [country],Office [physicalDeliveryOfficeName],City [city],ZIP or postal code [postalCode]," +
    "Office phone [telephoneNumber],Mobile phone [mobile]";
const renameToEmail = (label: string) => `the header row names no email column (got ${JSON.stringify(label)}); did you mean \`email\`? rename the column to email`;
const UPN_FIX = "add an email column with each guest's address, or rename this column to email and write each guest's address in it";
const UPN_UNUSED = "Graph gives each guest its own user principal name, and the invitation goes to the email column; delete the column to silence this warning";
const START = "start from `entra-guests template --format portal`";

describe("csv header hints: the cell meant as the email column, and the portal's other templates", () => {
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

    it("says a UserPrincipalName column is no address, decoding the first row's #EXT# form into the address it stands for", async () => {
        const roster = rosterOf({
            "export.csv": "displayName,UserPrincipalName\nAnn Lee,Ann.Lee_Fabrikam.com#EXT#@contoso.onmicrosoft.com\nBo,bo_fabrikam.com#EXT#@contoso.onmicrosoft.com\n",
            "legacy.csv": "DisplayName,InvitedToGroups,User Principal Name\nAnn,Partners,ann_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com\n",
            "members.csv": "UPN,displayName\nann@contoso.com,Ann\n",
            "empty.csv": "displayName,upn\n",
        });
        assert.deepEqual(lines(roster.errors), [
            `empty.csv:1:13: the header row names no email column, and column "upn" holds user principal names, not invitation addresses; ${UPN_FIX}`,
            `export.csv:1:13: the header row names no email column, and column "UserPrincipalName" holds user principal names, not invitation addresses ("Ann.Lee_Fabrikam.com#EXT#@contoso.onmicrosoft.com" stands for "ann.lee@fabrikam.com"); ${UPN_FIX}`,
            `legacy.csv:1:29: the header row names no email column, and column "User Principal Name" holds user principal names, not invitation addresses ("ann_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com" stands for "ann_lee@fabrikam.com"); ${UPN_FIX}`,
            `members.csv:1:1: the header row names no email column, and column "UPN" holds user principal names, not invitation addresses; ${UPN_FIX}`,
        ]);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests, []);
    });

    it("points at an address column before a UPN column, wherever each stands", async () => {
        const roster = rosterOf({ "a.csv": "UserPrincipalName,displayName,E-Mail\nann_fabrikam.com#EXT#@contoso.onmicrosoft.com,Ann,ann@fabrikam.com\n" });
        assert.deepEqual(lines(roster.errors), [`a.csv:1:31: ${renameToEmail("E-Mail")}`]);
        assert.deepEqual(roster.warnings, []);
    });

    it("reads an HR export's UPN column beside the email column in every format with one warning, never an error", async () => {
        const upn = "ann_fabrikam.com#EXT#@contoso.onmicrosoft.com";
        const roster = rosterOf({
            "native.csv": `email,displayName,UPN\nann@fabrikam.com,Ann,${upn}\n`,
            "legacy.csv": `Email,DisplayName,InvitedToGroups,UserPrincipalName\nbo@fabrikam.com,Bo,Partners,${upn}\n`,
            "ps.csv": `Name,InvitedUserEmailAddress,sendEmail,User-Principal-Name\nCy,cy@fabrikam.com,false,${upn}\n`,
            "portal.csv": `${PORTAL_HEADER},User name [userPrincipalName]\ndee@fabrikam.com,,FALSE,,${upn}\n`,
        });
        assert.deepEqual(roster.errors, []);
        assert.deepEqual(lines(roster.warnings), [
            "legacy.csv:1:1: the 2016 Azure AD B2B invitation service mailed every guest of such a file, but no guest of this file has a sendEmail or SendInvitationMessage value or a message, so nobody is mailed; add a SendInvitationMessage (or sendEmail) column with TRUE to mail them, or FALSE to confirm none",
            `legacy.csv:1:35: column "UserPrincipalName" is not used: ${UPN_UNUSED}`,
            `native.csv:1:19: column "UPN" is not used: ${UPN_UNUSED}`,
            `portal.csv:1:200: column "User name [userPrincipalName]" is not used: ${UPN_UNUSED}`,
            `ps.csv:1:40: column "User-Principal-Name" is not used: ${UPN_UNUSED}`,
        ]);
        assert.deepEqual(roster.guests.map((g) => g.email), ["ann@fabrikam.com", "bo@fabrikam.com", "cy@fabrikam.com", "dee@fabrikam.com"]);
    });

    it("says a bulk-create template is one, in one error at its header row and no warning for its columns", async () => {
        const roster = rosterOf({
            "create.csv": `version:v1.0\r\n${BULK_CREATE_HEADER}\r\nExample: Chris Green,chris@contoso.com,Pass1234!,No,Chris,Green,,,,,,,,,,,\r\nAnn Lee,ann@contoso.com,Pass1234!,No,Ann,Lee,,,,,,,,,,,\r\n`,
            "partial.csv": "Name [displayName] Required,User name [userPrincipalName] Required,Job title [jobTitle]\nAnn Lee,ann@contoso.com,Engineer\n",
            "password.csv": "Initial password [passwordProfile] Required,Name [displayName]\nPass1234!,Ann\n",
        });
        const reads = `which creates member users with passwords, not invitations; entra-guests reads the "Bulk invite users" template: ${START} and copy the guests' addresses into its [inviteeEmail] column`;
        assert.deepEqual(lines(roster.errors), [
            `create.csv:2:1: this is the portal's "Bulk create users" template (it has [userPrincipalName], [passwordProfile] and [accountEnabled]), ${reads}`,
            `partial.csv:1:1: this is the portal's "Bulk create users" template (it has [userPrincipalName] and [jobTitle]), ${reads}`,
            `password.csv:1:1: this is the portal's "Bulk create users" template (it has [passwordProfile]), ${reads}`,
        ]);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests, []);
    });

    it("says a bulk-delete template is one, in one error at its header row and no warning", async () => {
        const roster = rosterOf({ "delete.csv": "version:v1.0,\nUser name [userPrincipalName] Required\nExample: chris@contoso.com\nann_fabrikam.com#EXT#@contoso.onmicrosoft.com\n" });
        assert.deepEqual(lines(roster.errors), [
            `delete.csv:2:1: this is the portal's "Bulk delete users" template (its only property is [userPrincipalName]), which deletes users, not invitations; entra-guests reads the "Bulk invite users" template, and deletes a guest when its row is removed from the file: ${START} and put the guests' addresses in its [inviteeEmail] column`,
        ]);
        assert.deepEqual(roster.warnings, []);
        assert.deepEqual(roster.guests, []);
    });

    it("takes no other bracketed header for another template: without [inviteeEmail] it is still the missing column", async () => {
        const roster = rosterOf({
            "names.csv": "Name [displayName],Team [team]\nAnn,Red\n",
            "upn.csv": "Name [displayName],User name [userPrincipalName]\nAnn,ann_fabrikam.com#EXT#@contoso.onmicrosoft.com\n",
        });
        assert.deepEqual(lines(roster.errors), [
            "names.csv:1:1: the header row has no [inviteeEmail] column; add it, the guest's address is required",
            `upn.csv:1:20: the header row names no email column, and column "User name [userPrincipalName]" holds user principal names, not invitation addresses ("ann_fabrikam.com#EXT#@contoso.onmicrosoft.com" stands for "ann@fabrikam.com"); ${UPN_FIX}`,
        ]);
        assert.deepEqual(lines(roster.warnings), [
            'names.csv:1:20: column "Team [team]" is not a bulk-invite property (got "[team]"); it is ignored, delete it or use [inviteeEmail], [inviteRedirectURL], [sendEmail] or [customizedMessageBody]',
        ]);
    });
});
