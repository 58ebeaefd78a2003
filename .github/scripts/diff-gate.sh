#!/usr/bin/env bash
# The pull request workflow's diff step and its verdict, in a script so that a test
# runs them with a stand-in CLI for each exit code (test/diff-gate.test.ts).
#
#   diff-gate.sh run        runs `entra-guests diff` and, whatever its exit code, writes
#                             diff.md       the PR comment, at most 60,000 bytes (GitHub: 65,536)
#                             diff-full.md  the whole diff, for the workflow artifact
#                             the job summary, at most 1,000,000 bytes (GitHub: 1 MiB)
#                           and `code=N` to $GITHUB_OUTPUT. It exits 0, so the comment posts first.
#   diff-gate.sh verdict N  says what exit code N means, as an annotation; exits 1 unless the
#                           code is 0, or 3 (too many removals) with the approved-removals label.
#
# Environment: BASE_REF, STACK, MAX_REMOVALS, ARTIFACT (the artifact's name), APPROVED ("true"
# when the pull request has the approved-removals label); ENTRA_GUESTS, the command to run
# (default: npx entra-guests); GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, set by the runner.
set -uo pipefail

COMMENT_BYTES=60000
SUMMARY_BYTES=1000000

# A fenced code block holding a file exactly: its fence is longer than any backtick run in it.
code_block() {
    local fence
    fence=$(grep -o '`*' "$1" | awk '{ if (length($0) > m) m = length($0) } END { n = m >= 3 ? m + 1 : 3; while (n-- > 0) printf "`" }')
    printf '%s\n' "$fence"
    cat "$1"
    [ -z "$(tail -c 1 "$1")" ] || printf '\n'
    printf '%s\n' "$fence"
}

# What an exit code of `entra-guests diff` means (cli/main.ts, EXIT).
meaning() {
    case $1 in
        0) echo "no problem" ;;
        1) echo "the guest files have errors" ;;
        2) echo "a usage or stack settings error, or a base branch that is not fetched" ;;
        3) echo "more guests would be removed than MAX_REMOVALS allows" ;;
        *) echo "not an exit code entra-guests documents (0 ok, 1 invalid files, 2 usage or bad ref, 3 too many removals)" ;;
    esac
}

# The CLI's error, without the usage text it prints after a usage error.
error_text() {
    sed '/^Usage: entra-guests/,$d' diff.err 2>/dev/null | awk 'NF { for (; blank > 0; blank--) print ""; print; next } { blank++ }' | head -n 50
}

run() {
    local -a cli args
    read -r -a cli <<<"${ENTRA_GUESTS:-npx entra-guests}"
    args=(diff --base "$BASE_REF" --stack "$STACK" --format markdown --max-removals "$MAX_REMOVALS")
    "${cli[@]}" "${args[@]}" --max-bytes "$COMMENT_BYTES" --output-full diff-full.md \
        --rest-in "the job summary and the workflow artifact $ARTIFACT" >diff.md 2>diff.err
    local code=$?
    echo "code=$code" >>"$GITHUB_OUTPUT"
    case $code in
        0 | 1 | 3)
            if [ "$code" = 3 ] && [ "${APPROVED:-}" = true ]; then
                printf '\n✅ The label `approved-removals` is set: a reviewer confirmed these removals.\n' >>diff.md
            fi
            # The job summary holds more than the comment: the same diff, cut to its own limit.
            "${cli[@]}" "${args[@]}" --max-bytes "$SUMMARY_BYTES" --rest-in "the workflow artifact $ARTIFACT" \
                >>"$GITHUB_STEP_SUMMARY" 2>/dev/null
            ;;
        *)
            # No diff was made: the comment and the summary say why, so that nobody waits for one.
            error_text >diff-error.txt
            {
                echo "<!-- entra-guests diff -->"
                echo "**entra-guests diff could not compare the guest files** (exit $code: $(meaning "$code")):"
                echo
                code_block diff-error.txt
            } >diff.md
            cp diff.md diff-full.md
            cat diff.md >>"$GITHUB_STEP_SUMMARY"
            ;;
    esac
    return 0
}

# An annotation's message: the runner decodes %25, %0D and %0A.
annotate() {
    local kind=$1 title=$2 message=$3
    message=${message//'%'/'%25'}
    message=${message//$'\r'/'%0D'}
    message=${message//$'\n'/'%0A'}
    echo "::$kind title=$title::$message"
}

verdict() {
    local code=$1
    case $code in
        0) return 0 ;;
        1) annotate error "Guest files have errors" "entra-guests diff exited 1: the guest files have errors; fix the ones shown on the files' lines and in the PR comment, then push" ;;
        2) annotate error "Diff could not run" "entra-guests diff exited 2 ($(meaning 2)): $(error_text | head -n 1)" ;;
        3)
            if [ "${APPROVED:-}" = true ]; then
                annotate notice "Removals approved" "entra-guests diff exited 3: more guests would be removed than MAX_REMOVALS (${MAX_REMOVALS:-?}) allows, and the label approved-removals says a reviewer confirmed them"
                return 0
            fi
            annotate error "Too many removals" "entra-guests diff exited 3: more guests would be removed than MAX_REMOVALS (${MAX_REMOVALS:-?}) allows; a reviewer checks each removal in the PR comment, then adds the label approved-removals, which runs this check again"
            ;;
        *) annotate error "Diff failed" "entra-guests diff exited $code, $(meaning "$code"): $(error_text | head -n 1)" ;;
    esac
    return 1
}

case ${1:-} in
    run) run ;;
    verdict) verdict "${2:?verdict needs the exit code}" ;;
    *)
        echo "usage: diff-gate.sh run | verdict CODE" >&2
        exit 2
        ;;
esac
