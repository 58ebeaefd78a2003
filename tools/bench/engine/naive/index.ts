// The naive program `npm run bench:engine` compares ours with: what a team writes first. Every
// native CSV row under guests/ becomes an invitation with the provider's defaults, and each of
// its groups a membership whose group ID comes from a getGroup of its own, as a Terraform
// `for_each` over rows with a data source inside does. No validation, adoption or guard.
import * as azuread from "@pulumi/azuread";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";

export = () => {
    // The project folder: dist/tools/bench/engine/naive/ is copied into it (Pulumi runs the program from its own folder).
    const dir = path.join(__dirname, "..", "..", "..", "..", "..", "guests");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".csv")).sort()) {
        const [, ...rows] = readFileSync(path.join(dir, file), "utf8").split("\n");
        for (const row of rows) {
            if (row === "") continue;
            // email,displayName,groups (groups separated by ";"): the bench's own files, no quoting.
            const [email, displayName, groups] = row.split(",");
            const invitation = new azuread.Invitation(email, { userEmailAddress: email, userDisplayName: displayName, redirectUrl: "https://myapps.microsoft.com" });
            for (const group of groups.split(";").filter((g) => g !== "")) {
                const found = azuread.getGroupOutput({ displayName: group });
                new azuread.GroupMember(`${email}/${group}`, { groupObjectId: found.objectId, memberObjectId: invitation.userId });
            }
        }
    }
};
