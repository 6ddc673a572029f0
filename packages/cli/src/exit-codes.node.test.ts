import { ValueError } from '@latentlab/core';
import { CsvFormatError } from '@latentlab/data';
import { describe, expect, it } from 'vitest';
import { ResourceError, RunFileError, UsageError } from './errors.js';
import { EXIT, EXIT_CODES_HELP, exitCodeOf, isOutOfMemory, oneLine } from './exit-codes.js';

describe('exit codes', () => {
  it('maps each kind of failure to its documented code', () => {
    expect(exitCodeOf(new UsageError('--n', 'an integer', '"x"'))).toBe(EXIT.usage);
    expect(exitCodeOf(new ResourceError('sample -n', 'at most 1 GiB', 'about 2 GiB'))).toBe(EXIT.resources);
    expect(exitCodeOf(new RunFileError('r/run.json', 'not JSON', 'valid JSON', 'x'))).toBe(EXIT.failed);
    expect(exitCodeOf(new CsvFormatError('parseCsv', 'bad cell', 'a number', '"x"', { line: 2, column: 1 }))).toBe(
      EXIT.failed,
    );
    expect(exitCodeOf(new ValueError('f', 'bad', 'a', 'b'))).toBe(EXIT.failed);
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {
      code: 'ENOENT',
      syscall: 'open',
    });
    expect(exitCodeOf(enoent)).toBe(EXIT.failed);
    expect(exitCodeOf(new RangeError('Array buffer allocation failed'))).toBe(EXIT.resources);
    expect(exitCodeOf(Object.assign(new Error('memory access out of bounds'), { name: 'RuntimeError' }))).toBe(
      EXIT.resources,
    );
    expect(exitCodeOf(new TypeError('logs.map is not a function'))).toBe(EXIT.internal);
    expect(exitCodeOf('thrown string')).toBe(EXIT.internal);
    expect(isOutOfMemory(new RangeError('Maximum call stack size exceeded'))).toBe(false);
  });

  it('prints one line: line breaks folded, an internal error labelled as a bug', () => {
    expect(oneLine(new RunFileError('r/run.json', 'not JSON', 'valid JSON', 'Unexpected token\n  at 3'))).toBe(
      'r/run.json: not JSON: expected valid JSON, found Unexpected token at 3',
    );
    const internal = oneLine(new TypeError('x is not a function'));
    expect(internal).toMatch(/^internal error: TypeError: x is not a function \(a bug/);
    expect(internal).not.toContain('\n');
  });

  it('documents every code in the help text', () => {
    for (const code of Object.values(EXIT)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^ {2}${code} `, 'm'));
  });
});
