import { LatentlabError } from '@latentlab/core';
import { ResourceError, UsageError } from './errors.js';

/**
 * The exit codes of `latentlab` (documented in the README and in `latentlab --help`):
 * - 0 done;
 * - 1 failed: a bad or unreadable input file (run directory, checkpoint, data set), or a file that cannot be written;
 * - 2 bad command line (unknown command or flag, bad value);
 * - 3 out of resources: refused up front by the memory estimate, or the runtime ran out of memory;
 * - 4 internal error (a bug: please report it; `LATENTLAB_DEBUG=1` prints the stack);
 * - 130 interrupted (Ctrl-C during training; the last epoch's checkpoint is kept).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, resources: 3, internal: 4, interrupted: 130 } as const;

/** The exit-code table as printed by `latentlab --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    failed: bad or unreadable input (run directory, checkpoint, data file) or a file not writable
  2    bad command line (unknown command or flag, bad value)
  3    out of resources (refused by the memory estimate, see LATENTLAB_MAX_MEMORY_MB, or out of memory)
  4    internal error (a bug; LATENTLAB_DEBUG=1 prints the stack)
  130  interrupted (Ctrl-C; the last checkpoint is kept)`;

/** Whether `error` is the runtime running out of memory (a failed allocation or a wasm heap that cannot grow). */
export function isOutOfMemory(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOMEM' || code === 'ENOSPC' || code === 'ERR_STRING_TOO_LONG') return true;
  return (
    (error instanceof RangeError &&
      /allocation failed|Invalid (typed )?array length|Invalid string length|out of memory/i.test(error.message)) ||
    (error.name === 'RuntimeError' && /memory access out of bounds|out of memory/i.test(error.message))
  );
}

/** The exit code for an error thrown by a command (see {@link EXIT}). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof ResourceError || isOutOfMemory(error)) return EXIT.resources;
  if (error instanceof LatentlabError) return EXIT.failed;
  // A file-system error (ENOENT, EACCES, EISDIR, ...) on a path the user gave: a failed command, not a bug.
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    if ((error as NodeJS.ErrnoException).syscall !== undefined) return EXIT.failed;
  }
  return EXIT.internal;
}

/** The one line printed for an error: its message with line breaks folded (never a stack). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return exitCodeOf(error) === EXIT.internal
    ? `internal error: ${error instanceof Error ? error.name : 'thrown'}: ${line} (a bug: please report it; LATENTLAB_DEBUG=1 prints the stack)`
    : line;
}
