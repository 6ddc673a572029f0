import { useBackend } from './backend.js';
import { type Flags, type FlagValues, parseFlags } from './flags.js';
import { USAGE } from './help.js';
import type { CliIo } from './io.js';

/** What a command declares: its flags and how many positional arguments it takes. */
export interface CommandSpec {
  name: string;
  flags: Flags;
  /** Positional arguments accepted (a run directory: 1). */
  positionals: number;
}

/**
 * The prologue every command shares: parse the arguments (a {@link UsageError} on a bad flag), print the usage
 * and stop on `--help` (returns `null`), else select `--backend` and return the parsed values.
 *
 * @example
 * const parsed = await prologue({ name: 'eval', flags: { iwae: { type: 'string' } }, positionals: 1 }, args, io);
 * if (parsed === null) return EXIT.ok;
 */
export async function prologue(
  spec: CommandSpec,
  args: readonly string[],
  io: CliIo,
): Promise<{ values: FlagValues; positionals: string[] } | null> {
  const parsed = parseFlags(spec.name, args, { ...spec.flags, backend: { type: 'string' } }, spec.positionals);
  if (parsed.values.help) {
    io.stdout(`${USAGE[spec.name]}\n`);
    return null;
  }
  await useBackend(parsed.values.backend);
  return parsed;
}
