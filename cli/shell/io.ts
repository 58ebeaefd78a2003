// What every command is given, and the exit codes every command answers with.

export interface Io {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
    cwd: string;
    /** The environment of commands the CLI runs (`pulumi`); process.env when left out. */
    env?: NodeJS.ProcessEnv;
    /** How Graph retries wait (status, resend, adopt); tests record the seconds instead of waiting. */
    sleep?: (seconds: number) => Promise<void>;
    /** The clock; tests fix it (adopt writes the time into its file). */
    now?: () => Date;
}

/**
 * The exit codes of every command: 0 done (a report, whatever it says; files valid, warnings
 * allowed); 1 the guest files have errors, or Graph or the stack refused or failed; 2 a usage
 * error (an option, a file named on the command line, no `pulumi` CLI); 3 `diff` past
 * --max-removals.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, tooManyRemovals: 3 } as const;
