import { seededRandom as mulberry32 } from '@latentlab/core/testing';
// Seeded fuzzing of the CSV parser: random tables written by formatCsv, re-styled (CRLF, BOM, blank
// lines) and mutated (characters inserted, deleted, replaced, lines duplicated, text truncated). Each text
// must either parse — into a consistent table that round-trips through formatCsv — or raise CsvFormatError
// with a line and column. Any other exception fails the test.
import { describe, expect, it } from 'vitest';
import { type CsvDataset, formatCsv, type ParseCsvOptions, parseCsv } from './csv.js';
import { CsvFormatError } from './errors.js';

const CLASS_POOL = ['cat', 'dog', 'b,c', 'say "x"', 'multi\nline', '7', 'é', 'a b'];
const NAME_POOL = ['x', 'y', 'width (cm)', 'a,b', '"q"', 'z1', ''];
const ALPHABET = [',', '"', '\n', '\r', ' ', 'x', '1', '.', 'e', '-', '\t', '5', '+'];

function randomTable(rand: () => number): CsvDataset {
  const int = (n: number) => Math.floor(rand() * n);
  const n = 1 + int(6);
  const d = 1 + int(4);
  const values = [() => int(200) - 100, () => (rand() - 0.5) * 10 ** (int(12) - 6), () => -0, () => int(3) / 8];
  const data = Float32Array.from({ length: n * d }, () => values[int(values.length)]!());
  const columns = Array.from({ length: d }, (_, j) => `${NAME_POOL[int(NAME_POOL.length)]}${j}`);
  if (rand() < 0.5) return { data, shape: [n, d], columns };
  const k = 1 + int(4);
  const start = int(CLASS_POOL.length);
  const used = Array.from({ length: k }, (_, c) => CLASS_POOL[(start + c) % CLASS_POOL.length]!);
  const texts = Array.from({ length: n }, () => used[int(k)]!);
  // The classNames parseCsv would derive: the sorted set of label texts.
  const numeric = (s: string) => /^\d+$/.test(s);
  const classNames = [...new Set(texts)].sort((a, b) =>
    texts.every(numeric) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
  );
  const labels = Int32Array.from(texts, (t) => classNames.indexOf(t));
  return { data, shape: [n, d], columns, labels, classNames, labelName: 'label' };
}

function mutate(text: string, rand: () => number): string {
  const int = (n: number) => Math.floor(rand() * n);
  const at = int(text.length + 1);
  const ch = ALPHABET[int(ALPHABET.length)]!;
  switch (int(6)) {
    case 0:
      return text.slice(0, at) + ch + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + int(3));
    case 2:
      return text.slice(0, at) + ch + text.slice(at + 1);
    case 3: {
      const lines = text.split('\n');
      const i = int(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    default: {
      const b = int(text.length);
      return (
        text.slice(0, Math.min(at, b)) +
        text[Math.max(at, b)] +
        text.slice(Math.min(at, b) + 1, Math.max(at, b)) +
        text[Math.min(at, b)] +
        text.slice(Math.max(at, b) + 1)
      );
    }
  }
}

function checkConsistent(t: CsvDataset): void {
  const [n, d] = t.shape;
  expect(t.data.length).toBe(n * d);
  expect(t.columns.length).toBe(d);
  expect(n > 0 && d > 0).toBe(true);
  expect(t.data.every(Number.isFinite)).toBe(true);
  if (t.labels !== undefined) {
    const k = t.classNames!.length;
    expect(t.labels.length).toBe(n);
    expect(t.labels.every((y) => y >= 0 && y < k)).toBe(true);
    expect(new Set(t.classNames).size).toBe(k);
  }
  const again = parseCsv(formatCsv(t), { header: true, labelColumn: t.labels === undefined ? undefined : -1 });
  expect(again).toEqual(t);
}

describe('parseCsv fuzz', () => {
  it('round-trips 1500 random tables in several line-ending styles', () => {
    const rand = mulberry32(0xc5f);
    for (let iter = 0; iter < 1500; iter++) {
      const table = randomTable(rand);
      let text = formatCsv(table);
      const multiline = table.classNames?.some((c) => c.includes('\n')) ?? false;
      if (!multiline && rand() < 0.5) text = text.replaceAll('\n', '\r\n');
      if (rand() < 0.3) text = `\uFEFF${text}\n\n`;
      const options: ParseCsvOptions = table.labels === undefined ? { header: true } : { labelColumn: 'label' };
      expect(parseCsv(text, options)).toEqual(table);
    }
  });

  it('parses or raises CsvFormatError on 4000 mutated texts, never anything else', () => {
    const rand = mulberry32(0x5eed);
    const outcome = { parsed: 0, rejected: 0 };
    for (let iter = 0; iter < 4000; iter++) {
      const table = randomTable(rand);
      const text = mutate(formatCsv(table), rand);
      const options: ParseCsvOptions = {
        header: (['auto', true, false] as const)[Math.floor(rand() * 3)]!,
        labelColumn: table.labels === undefined ? undefined : -1,
      };
      let parsed: CsvDataset;
      try {
        parsed = parseCsv(text, options);
      } catch (e) {
        if (!(e instanceof CsvFormatError))
          throw new Error(`iteration ${iter}: unexpected ${String(e)} on ${JSON.stringify(text)}`);
        expect(Number.isInteger(e.line) && e.line! >= 1 && Number.isInteger(e.column) && e.column! >= 1).toBe(true);
        outcome.rejected++;
        continue;
      }
      outcome.parsed++;
      checkConsistent(parsed);
    }
    expect(outcome.parsed).toBeGreaterThan(500);
    expect(outcome.rejected).toBeGreaterThan(500);
  });
});
