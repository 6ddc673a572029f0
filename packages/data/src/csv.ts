/**
 * Numeric CSV tables (RFC 4180 syntax): comma- (or other single character-) separated fields, fields in
 * double quotes may hold delimiters, quotes (doubled: `""`) and line breaks; records end with LF, CRLF or CR.
 * Every feature cell must be a decimal number; one optional column holds class labels.
 */
import { ValueError } from '@latentlab/core';
import { CsvFormatError, type DataLocation } from './errors.js';

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * The column holding class labels: its header name, or its index (negative counts from the end: −1 is the
   * last column). Label values may be any text; they are mapped to class indices (see {@link CsvDataset.classNames}).
   */
  labelColumn?: string | number;
  /**
   * Whether the first row is a header. `'auto'` (default): it is when one of its cells outside the label
   * column is not a number (or when `labelColumn` is a name). A header of numbers needs `header: true`.
   */
  header?: 'auto' | boolean;
  /** Field delimiter, one character other than `"`, CR and LF; `','` by default (`'\t'` for TSV). */
  delimiter?: string;
  /** File name or URL, quoted in errors. */
  source?: string;
  /**
   * Most fields a record may have ({@link CSV_MAX_COLUMNS}, 65 536, by default): a line of millions of fields
   * would cost far more memory as strings and column names than as text, so it is refused as it is read.
   */
  maxColumns?: number;
}

/** Default bound on the fields of one CSV record (MNIST as CSV has 785). */
export const CSV_MAX_COLUMNS = 65_536;

/** A parsed table: `n` rows of `d` numeric features, plus labels when a label column was named. */
export interface CsvDataset {
  /** Features, row-major `[n, d]`. */
  data: Float32Array;
  /** `[n, d]`. */
  shape: [number, number];
  /** Names of the `d` feature columns (from the header, else `col0`, `col1`, … by position in the file). */
  columns: string[];
  /** Class index of each row, `[n]`, when `labelColumn` was given. */
  labels?: Int32Array;
  /**
   * Label text of each class index. Sorted: numerically when every label is a number, else by UTF-16 code
   * units, so the mapping depends on the set of labels only, not on row order.
   */
  classNames?: string[];
  /** Name of the label column. */
  labelName?: string;
}

interface Row {
  fields: string[];
  line: number;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const isNumeric = (s: string) => NUMBER.test(s.trim());
/** A cell as quoted in an error: its first 40 characters (a hostile file may hold a cell of megabytes). */
const shorten = (cell: string) => (cell.length > 40 ? `${cell.slice(0, 40)}… (${cell.length} characters)` : cell);

/**
 * Parses CSV text into a numeric table. Cells are decimal numbers (`-1.5`, `2e-3`, surrounding spaces
 * allowed), stored as float32. Empty lines are skipped; a leading byte-order mark is ignored. Nothing is
 * silently turned into NaN: every problem is a {@link CsvFormatError} with the `line` and `column` (1-based;
 * the column is the field's position in its row): empty input, no data rows, a row with more or fewer fields
 * than the first, a non-numeric or out-of-float32-range cell, an empty label, an unterminated quote, a quote
 * inside an unquoted field, text after a closing quote, a label column that does not exist.
 *
 * @example
 * ```ts
 * const iris = parseCsv('sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n', { labelColumn: 'species' });
 * iris.shape;      // [2, 2]
 * iris.data;       // Float32Array [5.1, 1.4, 7, 4.7]
 * iris.labels;     // Int32Array [0, 1]
 * iris.classNames; // ['setosa', 'versicolor']
 * ```
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvDataset {
  const fn = 'parseCsv';
  const { labelColumn, header = 'auto', delimiter = ',', source, maxColumns = CSV_MAX_COLUMNS } = options;
  if (!Number.isSafeInteger(maxColumns) || maxColumns < 1) {
    throw new ValueError(fn, 'bad maxColumns', 'an integer ≥ 1', String(maxColumns));
  }
  if (typeof text !== 'string') throw new ValueError(fn, 'text must be a string', 'a string', typeof text);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new ValueError(fn, 'bad delimiter', 'one character other than ", CR and LF', JSON.stringify(delimiter));
  }
  if (header !== 'auto' && header !== true && header !== false) {
    throw new ValueError(fn, 'bad header option', "'auto', true or false", JSON.stringify(header));
  }
  if (typeof labelColumn === 'string' && header === false) {
    throw new ValueError(fn, 'a label column given by name needs a header', 'header: true or "auto"', 'header: false');
  }
  const at = (line: number, column: number): DataLocation =>
    source === undefined ? { line, column } : { line, column, source };
  const fail = (message: string, expected: string, found: string, line: number, column: number): never => {
    throw new CsvFormatError(fn, message, expected, found, at(line, column));
  };

  // The first record decides the width, the label column and whether it is a header; every later record is
  // converted to float32 as soon as it is tokenized, so no table of strings is ever held.
  let first: Row | undefined;
  let width = 0;
  let labelIndex: number | undefined;
  let names: string[] = [];
  let d = 0;
  let n = 0;
  let data = new Float32Array(0);
  const labelText: string[] = [];
  const setUp = (row: Row): boolean => {
    first = row;
    width = row.fields.length;
    if (typeof labelColumn === 'number') {
      if (!Number.isInteger(labelColumn) || labelColumn < -width || labelColumn >= width) {
        fail('label column out of range', `a column index in ${-width}..${width - 1}`, `${labelColumn}`, row.line, 1);
      }
      labelIndex = labelColumn < 0 ? width + labelColumn : labelColumn;
    } else if (labelColumn !== undefined && typeof labelColumn !== 'string') {
      throw new ValueError(fn, 'bad labelColumn', 'a column name or index', typeof labelColumn);
    }
    const hasHeader =
      header === 'auto'
        ? typeof labelColumn === 'string' || row.fields.some((s, j) => j !== labelIndex && !isNumeric(s))
        : header;
    names = hasHeader ? row.fields.map((s) => s.trim()) : row.fields.map((_, j) => `col${j}`);
    if (typeof labelColumn === 'string') {
      const matches = names.flatMap((name, j) => (name === labelColumn.trim() ? [j] : []));
      if (matches.length !== 1) {
        fail(
          matches.length === 0 ? 'label column not found' : 'label column name is ambiguous',
          `exactly one column named ${JSON.stringify(labelColumn)}`,
          matches.length === 0 ? `columns ${JSON.stringify(names)}` : `columns ${matches.map((j) => j + 1).join(', ')}`,
          row.line,
          matches.length === 0 ? 1 : matches[1]! + 1,
        );
      }
      labelIndex = matches[0]!;
    }
    d = width - (labelIndex === undefined ? 0 : 1);
    // A record of `width` fields takes at least `width` characters (delimiters and its line break), and at most
    // one starts per line: one allocation of at most 4·(text.length + 1 + width) bytes, trimmed once at the end.
    if (d > 0) data = new Float32Array(Math.min(lineCount(text), Math.floor((text.length + 1) / width) + 1) * d);
    return hasHeader;
  };
  const addRow = ({ fields, line }: Row) => {
    if (d === 0) fail('no feature columns', 'at least one column besides the label', `${width} column`, first!.line, 1);
    if (fields.length !== width) {
      fail(
        fields.length < width ? 'too few fields' : 'too many fields',
        `${width} fields (as in line ${first!.line})`,
        `${fields.length}`,
        line,
        Math.min(fields.length, width) + 1,
      );
    }
    let k = n * d;
    for (let j = 0; j < width; j++) {
      const cell = fields[j]!;
      if (j === labelIndex) {
        const label = cell.trim();
        if (label === '')
          fail('empty label', `a label in column ${JSON.stringify(names[j])}`, 'an empty cell', line, j + 1);
        labelText.push(label);
        continue;
      }
      if (!isNumeric(cell)) {
        fail(
          `non-numeric cell in column ${JSON.stringify(names[j])}`,
          'a decimal number',
          cell === '' ? 'an empty cell' : JSON.stringify(shorten(cell)),
          line,
          j + 1,
        );
      }
      const v = Math.fround(Number(cell));
      if (!Number.isFinite(v)) {
        fail(
          `number out of float32 range in column ${JSON.stringify(names[j])}`,
          '|x| < 3.4e38',
          shorten(cell.trim()),
          line,
          j + 1,
        );
      }
      data[k++] = v;
    }
    n++;
  };
  tokenize(text, delimiter, maxColumns, fail, (row) => {
    if (first === undefined) {
      if (!setUp(row)) addRow(row);
    } else addRow(row);
  });
  if (first === undefined) return fail('empty input', 'a header or data row', 'no rows', 1, 1);
  if (n === 0) fail('no data rows', 'at least one row after the header', 'a header only', first.line + 1, 1);
  if (data.length !== n * d) data = data.slice(0, n * d);
  const columns = names.filter((_, j) => j !== labelIndex);
  if (labelIndex === undefined) return { data, shape: [n, d], columns };
  const classNames = [...new Set(labelText)];
  if (classNames.every(isNumeric)) classNames.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  else classNames.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classNames.map((name, c) => [name, c]));
  const labels = Int32Array.from(labelText, (s) => index.get(s)!);
  return { data, shape: [n, d], columns, labels, classNames, labelName: names[labelIndex]! };
}

/** Number of lines of `text` (line breaks LF, CRLF or CR, plus one): an upper bound on its records. */
function lineCount(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return lines;
}

/**
 * Splits text into records of fields (RFC 4180 quoting), skipping empty lines, and hands each to `onRow` as
 * soon as it ends; `line` is where a record starts.
 */
function tokenize(
  text: string,
  delimiter: string,
  maxColumns: number,
  fail: (message: string, expected: string, found: string, line: number, column: number) => never,
  onRow: (row: Row) => void,
): void {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let rowLine = 1;
  let fields: string[] = [];
  let quoted = false; // whether the current record has a quoted field (then it is not an empty line)
  const endRow = () => {
    if (!(fields.length === 1 && fields[0] === '' && !quoted)) onRow({ fields, line: rowLine });
    fields = [];
    quoted = false;
  };
  const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
  while (i <= n) {
    // At the start of a field.
    let field: string;
    if (text[i] === '"') {
      const startLine = line;
      const parts: string[] = [];
      let from = ++i;
      for (;;) {
        if (i >= n) {
          fail('unterminated quoted field', 'a closing "', 'end of input', startLine, fields.length + 1);
        }
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            parts.push(text.slice(from, i + 1));
            i += 2;
            from = i;
            continue;
          }
          parts.push(text.slice(from, i));
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        i++;
      }
      field = parts.join('');
      quoted = true;
      if (i < n && text[i] !== delimiter && !isBreak(text[i])) {
        fail(
          'text after a closing quote',
          `${JSON.stringify(delimiter)} or a line break`,
          JSON.stringify(text[i]),
          line,
          fields.length + 1,
        );
      }
    } else {
      const from = i;
      while (i < n && text[i] !== delimiter && !isBreak(text[i])) {
        if (text[i] === '"') {
          fail(
            'quote inside an unquoted field',
            'a field quoted as a whole ("a""b")',
            JSON.stringify(text.slice(from, i + 1)),
            line,
            fields.length + 1,
          );
        }
        i++;
      }
      field = text.slice(from, i);
    }
    if (fields.length === maxColumns) {
      fail('too many fields', `at most ${maxColumns} fields (maxColumns)`, 'more', line, maxColumns + 1);
    }
    fields.push(field);
    if (i >= n) {
      endRow();
      break;
    }
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    // A line break: CRLF, LF or CR.
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    endRow();
    rowLine = line;
    if (i >= n) break;
  }
}

/** Options of {@link formatCsv}. */
export interface FormatCsvOptions {
  /** Field delimiter; `','` by default. */
  delimiter?: string;
}

/**
 * Writes a table as CSV (the inverse of {@link parseCsv}): a header row, then one row per sample with the
 * label text (`classNames[label]`) last under `labelName` (default `label`). Numbers are written in the
 * shortest form that reads back to the same float32; fields are quoted only when they must be.
 * Parse the result with `{ header: true, labelColumn: -1 }` (or without `labelColumn` when unlabelled).
 *
 * @example
 * ```ts
 * formatCsv({ data: new Float32Array([1, 2.5]), shape: [1, 2], columns: ['a', 'b'] }); // 'a,b\n1,2.5\n'
 * ```
 */
export function formatCsv(table: CsvDataset, options: FormatCsvOptions = {}): string {
  const fn = 'formatCsv';
  const { delimiter = ',' } = options;
  const { data, shape, columns, labels, classNames } = table;
  const [n, d] = shape;
  if (delimiter.length !== 1 || /[0-9.eE+\-"\r\n]/.test(delimiter)) {
    throw new ValueError(
      fn,
      'bad delimiter',
      'one character that cannot occur in a number, other than ", CR and LF',
      JSON.stringify(delimiter),
    );
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ValueError(fn, `value ${bad} is not finite`, 'finite numbers', `${data[bad]}`);
  if (data.length !== n * d || columns.length !== d) {
    throw new ValueError(
      fn,
      'table parts disagree',
      `data.length = ${n}·${d} and ${d} columns`,
      `${data.length} values, ${columns.length} columns`,
    );
  }
  if (labels !== undefined && (classNames === undefined || labels.length !== n)) {
    throw new ValueError(
      fn,
      'labels need classNames and one label per row',
      `${n} labels and classNames`,
      `${labels.length} labels`,
    );
  }
  const quote = (s: string) =>
    s === '' || s.trim() !== s || s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  const num = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
  const lines: string[] = [];
  const head = columns.map(quote);
  if (labels !== undefined) head.push(quote(table.labelName ?? 'label'));
  lines.push(head.join(delimiter));
  for (let i = 0; i < n; i++) {
    const cells = Array.from(data.subarray(i * d, (i + 1) * d), num);
    if (labels !== undefined) cells.push(quote(classNames![labels[i]!] ?? ''));
    lines.push(cells.join(delimiter));
  }
  return `${lines.join('\n')}\n`;
}
