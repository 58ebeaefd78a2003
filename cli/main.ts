// The CLI: which command runs for a word, and how a user's mistake becomes a message and an exit code.
import { MissingPathError } from "../roster";
import { access } from "./commands/access";
import { adopt } from "./commands/adopt";
import { diff } from "./commands/diff";
import { plan } from "./commands/plan";
import { resend } from "./commands/resend";
import { status } from "./commands/status";
import { template } from "./commands/template";
import { validate } from "./commands/validate";
import { ArgumentFileError, UsageError } from "./shell/errors";
import { EXIT, Io } from "./shell/io";
import { USAGE } from "./shell/usage";

export { EXIT, Io, USAGE };

type Command = (args: string[], io: Io) => Promise<number> | number;

const COMMANDS: Record<string, Command> = { validate, plan, diff, template, access, status, resend, adopt };

const HELP = new Set(["help", "--help", "-h"]);

/** Runs one CLI command; never throws for user mistakes, returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
    const [command, ...rest] = argv;
    if (command === undefined || HELP.has(command)) {
        io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
    }
    try {
        const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
        if (!run) throw new UsageError(`unknown command "${command}"; the commands are ${Object.keys(COMMANDS).join(", ")}`);
        return await run(rest, io);
    } catch (err) {
        const message = mistake(err);
        if (message === undefined) throw err;
        io.stderr.write(`entra-guests: ${message}\n`);
        return EXIT.usage;
    }
}

/** The one line a user's mistake is said in; undefined for anything else (a bug: thrown on). */
function mistake(err: unknown): string | undefined {
    // A usage error names the mistake and where the options are, not the whole help.
    if (err instanceof UsageError || isParseArgsError(err)) return `${(err as Error).message}; run \`entra-guests --help\` for the commands and their options`;
    if (err instanceof ArgumentFileError) return err.message;
    if (err instanceof MissingPathError) return `${err.message}; name existing guest files or folders`;
    return undefined;
}

function isParseArgsError(err: unknown): boolean {
    const code = (err as { code?: string })?.code;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
