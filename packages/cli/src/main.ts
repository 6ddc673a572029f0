import { EXIT, exitCodeOf, oneLine } from './exit-codes.js';
import { didYouMean } from './flags.js';
import { USAGE } from './help.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

export { EXIT } from './exit-codes.js';
export type { CliIo } from './io.js';

/** A command: its arguments after the command name → the exit code. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Each command's module, imported when it runs (so `train` never loads viz's renderer, `--version` loads nothing). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./commands/train.js')).train,
  eval: async () => (await import('./commands/eval.js')).evaluate,
  sample: async () => (await import('./commands/sample.js')).sample,
  report: async () => (await import('./commands/report.js')).report,
  bench: async () => (await import('./commands/bench.js')).bench,
  import: async () => (await import('./commands/import.js')).importModel,
};

/**
 * The `latentlab` command line: `train`, `eval`, `sample`, `report`, `bench`, `import`, `help [command]`, `--version`.
 * Returns the exit code ({@link EXIT}: 0 done, 1 failed, 2 bad command line, 3 out of resources, 4 internal
 * error, 130 interrupted). Every failure is one line on stderr (`latentlab <command>: <message>`), never a stack.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--version' || command === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? args[0] : undefined;
    if (topic !== undefined && !(topic in COMMANDS)) return unknown(topic, io);
    io.stdout(`${USAGE[topic ?? 'main']}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[command];
  if (!load) return unknown(command, io);
  try {
    return await (await load())(args, io);
  } catch (error) {
    const code = exitCodeOf(error);
    const hint = code === EXIT.usage ? ` (see 'latentlab ${command} --help')` : '';
    io.stderr(`latentlab ${command}: ${oneLine(error)}${hint}\n`);
    if (code === EXIT.internal && process.env.LATENTLAB_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return code;
  }
}

function unknown(command: string, io: CliIo): number {
  const names = Object.keys(COMMANDS);
  io.stderr(
    `latentlab: unknown command '${command}'${didYouMean(command, names)}: expected one of ${names.join(', ')} (see 'latentlab --help')\n`,
  );
  return EXIT.usage;
}
