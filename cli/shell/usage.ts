// What `entra-guests help` prints; kept apart so the command code stays short.

export const USAGE = `Usage: entra-guests <command> [options]

Commands:
  validate [PATH...]   check guest files (default: the stack's \`guests\` setting, guests/)
      --format text|json|github   output format (default text)
      --stack NAME                read settings from Pulumi.NAME.yaml as well as Pulumi.yaml
      --as-of YYYY-MM-DD          judge expiry on this date instead of today
  plan [PATH...]       list the resources the program would register, offline (no credentials)
      --format text|json          output format (default text)
      --summary                   counts only, no line per resource
      --stack NAME, --as-of DATE  as for validate
      --previous FILE             the last deployment's guests (pulumi stack output managedGuests
                                  --json > FILE): apply the removal guard and list removals
  diff --base REF [PATH...]  who gains and loses access compared with a git ref
      --format text|markdown|json (default text; markdown is made for a PR comment)
      --max-removals N            exit 3 when more than N guests would be removed
      --as-of YYYY-MM-DD          guests expiring by this date count as removals (default today)
      --stack NAME                as for validate
      --max-bytes N               markdown: leave out whole rows to stay within N bytes (a PR
                                  comment: 60000, GitHub refuses 65536; a job summary: 1000000);
                                  the summary is never cut, removals are kept first
      --output-full FILE          markdown: also write the whole, uncut diff to FILE
      --rest-in TEXT              markdown: where the whole diff is, for the line that says what
                                  was left out (e.g. "the workflow artifact")
  access [EMAIL...]    each guest's user ID, groups, app assignments and redeem URL, read from
                       the stack's state (\`pulumi stack export\`, the pulumi CLI on PATH)
      --stack NAME                the stack (default: the selected stack)
      --format text|json          output format (default text)
      --show-secrets              show redeem URLs (secret; otherwise shown as [secret])
  status [PATH...]     each declared guest's invitation state, invitation and last sign-in dates,
                       expiry and whether the stack manages it, read from Microsoft Graph; also
                       the tenant's guests that no file declares, and declared guests it lacks
      --format text|json|markdown|csv (default text; markdown for a job summary)
      --pending-for 14d           only guests pending for at least 14 days
      --inactive-for 90d          only guests with no sign-in for at least 90 days
      --unmanaged                 only the tenant's guests that no file declares
      --stack NAME                settings of Pulumi.NAME.yaml, and the stack's managedGuests
                                  output (pulumi CLI); without it the stack column is unknown
      --as-of YYYY-MM-DD          judge ages and expiry on this date (default today)
  resend [PATH...]     send the invitation mail again to declared guests still pending; a dry
                       run that lists them unless --yes
      --pending-for 14d           only guests pending for at least 14 days
      --reset                     reset their redemption too (Graph resetRedemption)
      --email ADDRESS             only this declared guest (repeatable); with --reset also a
                                  guest who accepted and lost access to their home account
      --yes                       send; one line per guest with the result
      --stack NAME, --as-of DATE  as for status
  adopt --group NAME|ID [--group ...]  write a guest file of the guests the tenant already has
                       in these groups, so the first pull request adopts them (Microsoft Graph)
      --app NAME|CLIENT_ID        also write these apps' role assignments of those users
      --out FILE                  the file to write (default guests/adopted.yaml); never replaced
                                  unless --force
      --format yaml|csv           yaml (default, or from --out's extension) or native CSV
      --include-members           members of the tenant too, not only guests (userType Guest)
      --stack NAME                read settings from Pulumi.NAME.yaml as well as Pulumi.yaml
  template             print a starter guest file
      --format portal|native|yaml (default yaml)
  help                 show this text

Exit codes: 0 valid (warnings allowed), 1 errors in guest files (access: a guest not in the
stack, a stack or resource that cannot be read), 2 usage error (diff: also a --base that is not
a commit here; access: no pulumi CLI), 3 (diff) more removals than --max-removals. adopt: 1 the
directory could not be read, a name matches no single group or app, or the guest files have errors.
status and resend: 0 the report or the dry run (whatever it finds), 1 errors in guest files, a
Graph call refused or failed (one line naming the permission or the sign-in to fix), or an
invitation not sent; 2 usage error.
`;
