import { LatentlabError } from '@latentlab/core';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, DataFormatError, DatasetError, formatLocation, GzipError, IdxFormatError } from './errors.js';

describe('data errors', () => {
  it('state function, what, where, expected and found', () => {
    const e = new IdxFormatError('readIdx', 'unknown dtype code', 'one of 0x08…', '0x42', {
      offset: 2,
      source: 'x.idx',
    });
    expect(e).toBeInstanceOf(DataFormatError);
    expect(e).toBeInstanceOf(LatentlabError);
    expect(e.name).toBe('IdxFormatError');
    expect(e.message).toBe(
      'Error in readIdx: unknown dtype code at byte 2 of x.idx: expected one of 0x08…, found 0x42',
    );
    expect([e.fn, e.offset, e.source, e.line]).toEqual(['readIdx', 2, 'x.idx', undefined]);
  });

  it('locate text errors by line and column', () => {
    const e = new CsvFormatError('parseCsv', 'too few fields', '3 fields', '2', { line: 4, column: 3 });
    expect(e.message).toContain('too few fields at line 4, column 3:');
    expect([e.line, e.column, e.offset]).toEqual([4, 3, undefined]);
    expect(formatLocation({ source: 'a.csv' })).toBe('in a.csv');
    expect(formatLocation({})).toBe('');
  });

  it('give gzip and dataset errors their own classes', () => {
    expect(new GzipError('gunzip', 'bad', 'x', 'y')).toBeInstanceOf(DataFormatError);
    const d = new DatasetError('loadMnist', 'labels do not match', 'uint8 [10]', 'uint8 [9]', 'labels.idx');
    expect(d).toBeInstanceOf(LatentlabError);
    expect(d).not.toBeInstanceOf(DataFormatError);
    expect(d.source).toBe('labels.idx');
    expect(d.message).toBe(
      'Error in loadMnist: labels do not match (labels.idx): expected uint8 [10], found uint8 [9]',
    );
  });
});
