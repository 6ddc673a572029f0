import { useBackend } from './backend.js';
import { UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { type Flags, type FlagValues, parseFlags } from './flags.js';
import { USAGE } from './help.js';
import type { CliIo } from './io.js';

/** What a command declares: its flags and how many positional arguments it takes. */
export interface CommandSpec {
  name: string;
  flags: Flags;
  /** Whether the command takes one positional argument (required: a run directory unless `positional` says), or none. */
  runDir: boolean;
  /** What the positional argument is, in words, for the error when it is missing (default 'a run directory'). */
  positional?: string;
}

/**
 * The prologue every command shares: parse the arguments (a {@link UsageError} on a bad flag or a missing run
 * directory), print the usage and stop on `--help` (returns `null`), else select `--backend` and return the
 * flag values and the run directory ('' for commands without one).
 *
 * @example
 * const parsed = await prologue({ name: 'eval', flags: { iwae: { type: 'string' } }, runDir: true }, args, io);
 * if (parsed === null) return EXIT.ok;
 */
export async function prologue(
  spec: CommandSpec,
  args: readonly string[],
  io: CliIo,
): Promise<{ values: FlagValues; dir: string } | null> {
  const parsed = parseFlags(spec.name, args, { ...spec.flags, backend: { type: 'string' } }, spec.runDir ? 1 : 0);
  if (parsed.values.help) {
    io.stdout(`${USAGE[spec.name]}\n`);
    return null;
  }
  const dir = parsed.positionals[0] ?? '';
  if (spec.runDir && dir === '') {
    throw new UsageError(`latentlab ${spec.name}`, spec.positional ?? 'a run directory', 'nothing');
  }
  await useBackend(parsed.values.backend);
  return { values: parsed.values, dir };
}

/** A command's work once the prologue has run: the flag values and the run directory ('' without one). */
export type CommandBody = (parsed: { values: FlagValues; dir: string }, io: CliIo) => Promise<number>;

/**
 * A command: the {@link prologue}, then `body` (whose result is the exit code), or exit 0 after `--help`.
 *
 * @example
 * export const evaluate = command(EVAL_COMMAND, async ({ values, dir }, io) => {
 *   io.stdout(`${dir}\n`);
 *   return EXIT.ok;
 * });
 */
export function command(spec: CommandSpec, body: CommandBody): (args: string[], io: CliIo) => Promise<number> {
  return async (args, io) => {
    const parsed = await prologue(spec, args, io);
    return parsed === null ? EXIT.ok : body(parsed, io);
  };
}
