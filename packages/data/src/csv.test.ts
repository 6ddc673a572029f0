import { ValueError } from '@latentlab/core';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from './csv.js';
import { CsvFormatError } from './errors.js';

function csvError(f: () => unknown): CsvFormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvFormatError);
    return e as CsvFormatError;
  }
  throw new Error('expected a CsvFormatError');
}

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('parseCsv', () => {
  it('parses a headed table with string labels', () => {
    const t = parseCsv('sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n', {
      labelColumn: 'species',
    });
    expect(t.shape).toEqual([4, 2]);
    expect(t.columns).toEqual(['sepal', 'petal']);
    expect(t.data).toEqual(f32([5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.4]));
    expect(t.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(t.labels!)).toEqual([0, 1, 2, 0]);
    expect(t.labelName).toBe('species');
  });

  it('detects a missing header and names columns by position', () => {
    const t = parseCsv('1,2,3\n4,5,6');
    expect(t.shape).toEqual([2, 3]);
    expect(t.columns).toEqual(['col0', 'col1', 'col2']);
    expect(t.data).toEqual(f32([1, 2, 3, 4, 5, 6]));
    expect(t.labels).toBeUndefined();
  });

  it('takes a label column by index, negative from the end, and sorts numeric labels numerically', () => {
    const text = '0.5,10\n1.5,2\n2.5,10\n3.5,9\n';
    const t = parseCsv(text, { labelColumn: -1 });
    expect(t.shape).toEqual([4, 1]);
    expect(t.classNames).toEqual(['2', '9', '10']);
    expect(Array.from(t.labels!)).toEqual([2, 0, 2, 1]);
    expect(t.labelName).toBe('col1');
    expect(parseCsv(text, { labelColumn: 1 }).labels).toEqual(t.labels);
  });

  it('does not mistake a data row with a string label for a header', () => {
    const t = parseCsv('1,2,cat\n3,4,dog\n', { labelColumn: 2 });
    expect(t.shape).toEqual([2, 2]);
    expect(t.classNames).toEqual(['cat', 'dog']);
  });

  it('handles quotes, embedded delimiters, doubled quotes, CRLF, BOM, blank lines and spaces', () => {
    const text = '\uFEFF"x, first","y"\r\n 1.5 ,"2"\r\n\r\n-3e2,+.25\r\n';
    const t = parseCsv(text);
    expect(t.columns).toEqual(['x, first', 'y']);
    expect(t.data).toEqual(f32([1.5, 2, -300, 0.25]));
    const q = parseCsv('a;label\n1;"say ""hi""\nthere"\n2;plain\n', { delimiter: ';', labelColumn: 'label' });
    expect(q.classNames).toEqual(['plain', 'say "hi"\nthere']);
    expect(Array.from(q.labels!)).toEqual([1, 0]);
    expect(parseCsv('a\tb\n1\t2\r3\t4', { delimiter: '\t' }).data).toEqual(f32([1, 2, 3, 4]));
  });

  it('stores values as float32', () => {
    expect(parseCsv('0.1\n').data[0]).toBe(Math.fround(0.1));
  });

  it('reports empty input and header-only input', () => {
    expect(csvError(() => parseCsv('')).message).toContain('empty input at line 1, column 1');
    expect(csvError(() => parseCsv('\n\r\n')).message).toContain('empty input');
    const e = csvError(() => parseCsv('a,b\n'));
    expect([e.line, e.message]).toEqual([2, expect.stringContaining('no data rows')]);
  });

  it('reports ragged rows with their line and column', () => {
    const short = csvError(() => parseCsv('a,b,c\n1,2,3\n\n4,5\n', { source: 'r.csv' }));
    expect([short.line, short.column, short.found, short.source]).toEqual([4, 3, '2', 'r.csv']);
    expect(short.message).toContain('too few fields at line 4, column 3 of r.csv');
    const long = csvError(() => parseCsv('1,2\n3,4,5\n'));
    expect([long.line, long.column]).toEqual([2, 3]);
  });

  it('never turns a bad cell into NaN', () => {
    for (const [text, column, found] of [
      ['a,b\n1,x\n', 2, '"x"'],
      ['a,b\n1,\n', 2, 'an empty cell'],
      ['a,b\n1,NaN\n', 2, '"NaN"'],
      ['a,b\nInfinity,1\n', 1, '"Infinity"'],
      ['a,b\n0x10,1\n', 1, '"0x10"'],
      ['a,b\n1,2\n1.2.3,4\n', 1, '"1.2.3"'],
    ] as const) {
      const e = csvError(() => parseCsv(text));
      expect([e.line, e.column, e.found], text).toEqual([text.split('\n').length - 1, column, found]);
    }
    const range = csvError(() => parseCsv('1e39\n'));
    expect([range.line, range.column, range.found]).toEqual([1, 1, '1e39']);
    const label = csvError(() => parseCsv('a,y\n1,\n', { labelColumn: 'y' }));
    expect([label.line, label.column]).toEqual([2, 2]);
  });

  it('reports quoting errors where the field starts', () => {
    const open = csvError(() => parseCsv('a,b\n1,"2\n3,4\n'));
    expect([open.line, open.column, open.message]).toEqual([2, 2, expect.stringContaining('unterminated')]);
    const after = csvError(() => parseCsv('"a"b,c\n'));
    expect([after.line, after.column]).toEqual([1, 1]);
    const inner = csvError(() => parseCsv('a,b\n1,2"3\n'));
    expect([inner.line, inner.column]).toEqual([2, 2]);
  });

  it('validates the label column and options', () => {
    expect(csvError(() => parseCsv('a,b\n1,2\n', { labelColumn: 'c' })).message).toContain('label column not found');
    expect(csvError(() => parseCsv('a,a\n1,2\n', { labelColumn: 'a' })).column).toBe(2);
    expect(csvError(() => parseCsv('1,2\n', { labelColumn: 2 })).expected).toBe('a column index in -2..1');
    expect(csvError(() => parseCsv('y\n1\n', { labelColumn: 'y' })).message).toContain('no feature columns');
    expect(() => parseCsv('1,2\n', { delimiter: '"' })).toThrow(ValueError);
    expect(() => parseCsv('1,2\n', { labelColumn: 'a', header: false })).toThrow(ValueError);
  });

  it('honours an explicit header choice', () => {
    expect(parseCsv('1,2\n3,4\n', { header: true }).columns).toEqual(['1', '2']);
    expect(csvError(() => parseCsv('a,b\n1,2\n', { header: false })).line).toBe(1);
  });
});

describe('formatCsv', () => {
  it('writes what parseCsv reads back, quoting only where needed', () => {
    const table = parseCsv('"a,1",b,kind\n-0,1e-7,"x ""y"""\n3.25,-1e21,z\n', { labelColumn: 'kind' });
    const text = formatCsv(table);
    // Float32 values are written as the float64 they widen to (String of Math.fround), which reads back exactly.
    const [tiny, huge] = [Math.fround(1e-7), Math.fround(-1e21)];
    expect(text).toBe(`"a,1",b,kind\n-0,${tiny},"x ""y"""\n3.25,${huge},z\n`);
    const back = parseCsv(text, { header: true, labelColumn: -1 });
    expect(back).toEqual(table);
    expect(Object.is(back.data[0], -0)).toBe(true);
  });

  it('rejects inconsistent tables', () => {
    expect(() => formatCsv({ data: f32([1, 2]), shape: [1, 3], columns: ['a', 'b', 'c'] })).toThrow(ValueError);
    expect(() => formatCsv({ data: f32([Number.NaN]), shape: [1, 1], columns: ['a'] })).toThrow(/not finite/);
    expect(() => formatCsv({ data: f32([1]), shape: [1, 1], columns: ['a'] }, { delimiter: '.' })).toThrow(ValueError);
  });
});

describe('doc examples', () => {
  it('parseCsv and formatCsv do what their @example says', () => {
    const iris = parseCsv('sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n', { labelColumn: 'species' });
    expect(iris.shape).toEqual([2, 2]);
    expect(iris.data).toEqual(f32([5.1, 1.4, 7, 4.7]));
    expect(iris.labels).toEqual(Int32Array.from([0, 1]));
    expect(iris.classNames).toEqual(['setosa', 'versicolor']);
    expect(formatCsv({ data: f32([1, 2.5]), shape: [1, 2], columns: ['a', 'b'] })).toBe('a,b\n1,2.5\n');
  });
});

describe('parseCsv maxColumns and locations', () => {
  it('refuses a record of more than maxColumns fields at the first one too many', () => {
    let e: CsvFormatError | undefined;
    try {
      parseCsv('1,2,3\n4,5,6\n', { maxColumns: 2, source: 'w.csv' });
    } catch (error) {
      e = error as CsvFormatError;
    }
    expect(e).toBeInstanceOf(CsvFormatError);
    if (e === undefined) return;
    expect([e.line, e.column, e.source]).toEqual([1, 3, 'w.csv']);
    expect(parseCsv('1,2,3\n', { maxColumns: 3 }).shape).toEqual([1, 3]);
    expect(() => parseCsv('1\n', { maxColumns: 0 })).toThrow(ValueError);
  });

  it('counts every line before the offending record: header, empty lines, CRLF, lines inside quotes', () => {
    const lines = ['a,b', '', '"1\r\n",2', '3,4', 'x,5'];
    const text = lines.join('\r\n');
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (e) {
      // The line of 'x,5', counted independently: line breaks before it in the text, plus one.
      const line = text.slice(0, text.indexOf('x,5')).split(/\r\n|\n|\r/).length;
      expect([(e as CsvFormatError).line, (e as CsvFormatError).column]).toEqual([line, 1]);
    }
  });
});
