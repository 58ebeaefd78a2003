#!/usr/bin/env bash
# The state backend settings a workflow needs, checked before any pulumi step: every missing
# one at once, each with its fix (docs/gitops.md). Used by deploy, schedule and pull requests.
fail=0
problem() { echo "::error::$1"; fail=1; }
case "$PULUMI_BACKEND_URL" in
  "")
    [ -n "$PULUMI_ORG" ] || problem "no state backend: the repository variable PULUMI_ORG is empty (got \"\"); set it to your Pulumi Cloud organization, or set PULUMI_BACKEND_URL to a self-managed backend" ;;
  s3://*)
    [ -n "$AWS_ROLE_ARN" ] || problem "the variable AWS_ROLE_ARN is empty (got \"\"); set it to the IAM role GitHub's OIDC token may assume for the bucket of $PULUMI_BACKEND_URL"
    [ -n "$AWS_REGION" ] || problem "the variable AWS_REGION is empty (got \"\"); set it to the region of the bucket of $PULUMI_BACKEND_URL" ;;
  azblob://*)
    [ -n "$AZURE_STORAGE_ACCOUNT" ] || problem "the variable AZURE_STORAGE_ACCOUNT is empty (got \"\"); set it to the storage account of $PULUMI_BACKEND_URL"
    [ -n "$AZURE_STORAGE_KEY" ] || problem "the secret AZURE_STORAGE_KEY is empty (got \"\"); add the storage account's access key as a repository secret" ;;
  *)
    problem "PULUMI_BACKEND_URL is not a backend these workflows can reach (got \"$PULUMI_BACKEND_URL\"); use s3://<bucket> or azblob://<container>, or leave it empty for Pulumi Cloud (a file:// state is lost with the runner)" ;;
esac
# The stack's secrets provider, as `pulumi stack init --secrets-provider` wrote it into
# Pulumi.<stack>.yaml (absent: the passphrase). AWS KMS works with an s3:// backend, whose IAM role
# the workflows assume; no other key service is given credentials here.
secrets=""
if [ -n "$STACK" ] && [ -f "Pulumi.$STACK.yaml" ]; then
  secrets=$(sed -n 's/^secretsprovider:[[:space:]]*//p' "Pulumi.$STACK.yaml" | head -n 1 | tr -d "\"'\r")
fi
if [ -n "$PULUMI_BACKEND_URL" ]; then
  case "$secrets" in
    "" | passphrase)
      [ -n "$PULUMI_CONFIG_PASSPHRASE" ] || problem "the secret PULUMI_CONFIG_PASSPHRASE is empty (got \"\"); add the passphrase the stacks were created with (pulumi stack init --secrets-provider passphrase) as a repository secret" ;;
    awskms://*)
      case "$PULUMI_BACKEND_URL" in
        s3://*) ;;
        *) problem "Pulumi.$STACK.yaml's secrets provider needs AWS credentials, which these workflows assume only for an s3:// backend (got \"$secrets\" with $PULUMI_BACKEND_URL); use an s3:// backend, or change the stack's secrets provider to passphrase (pulumi stack change-secrets-provider passphrase)" ;;
      esac ;;
    *)
      problem "Pulumi.$STACK.yaml's secrets provider is not one these workflows give credentials to (got \"$secrets\"); use passphrase, or awskms:// with an s3:// backend (pulumi stack change-secrets-provider passphrase)" ;;
  esac
fi
exit "$fail"
