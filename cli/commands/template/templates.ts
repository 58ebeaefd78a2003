import { NATIVE_HEADER } from "../../../roster/read/csv-formats";

export type TemplateFormat = "portal" | "native" | "yaml";

/**
 * Starter files. The portal one is the Azure portal's own "Bulk invite users" template (English
 * labels, the version row and the example row), so the same file uploads there and works here.
 */
export const TEMPLATES: Record<TemplateFormat, string> = {
    portal: [
        "version:v1.0",
        "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]",
        "Example:    someone@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome to Contoso",
        "",
    ].join("\r\n"),
    native: [
        NATIVE_HEADER.join(","),
        "ann.lee@fabrikam.example,Ann Lee (Fabrikam),,true,,,,Guest,Partners;Project X,Contoso Portal:Reader,2027-06-30,delete,false,false",
        "bo.chen@fabrikam.example,Bo Chen (Fabrikam),https://myapps.microsoft.com,false,,,,Guest,Partners,,,retain,false,false",
        "",
    ].join("\n"),
    yaml: `# Guests of one partner organisation. Run \`npx entra-guests validate\` after editing.
defaults:                      # any guest field but email; a guest's own fields win
  redirectUrl: https://myapps.microsoft.com
  sendEmail: true
  groups: [Partners]
guests:
  - email: ann.lee@fabrikam.example
    displayName: Ann Lee (Fabrikam)
    groups: [Partners, Project X]  # display names or object IDs
    apps:
      - app: Contoso Portal         # client ID or display name
        role: Reader                # role value or ID; leave out for default access
    expires: 2027-06-30
  - email: bo.chen@fabrikam.example
    displayName: Bo Chen (Fabrikam)
    message: Welcome to the Project X extranet.
    onRemove: retain               # removing this entry keeps the user in the directory
`,
};
