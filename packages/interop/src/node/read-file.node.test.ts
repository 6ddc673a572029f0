import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValueError } from '@latentlab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsFormatError } from '../errors.js';
import { readSafetensors } from '../safetensors/read.js';
import { readSafetensorsFrom } from '../safetensors/source.js';
import { writeSafetensors } from '../safetensors/write.js';
import { fixtureBytes } from '../testing/fixtures.js';
import { transpileReader } from '../testing/transpile.js';
import { readSafetensorsFile } from './read-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'interop-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixturePath = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));

describe('readSafetensorsFile', () => {
  it('reads a file from a path as readSafetensors reads its bytes', async () => {
    const p = 'pytorch-examples-vae/model.safetensors';
    const fromPath = await readSafetensorsFile(fixturePath(p));
    const fromBytes = readSafetensors(await fixtureBytes(p));
    expect([...fromPath.tensors.keys()]).toEqual([...fromBytes.tensors.keys()]);
    expect(fromPath.tensors.get('fc4.weight')!.values).toEqual(fromBytes.tensors.get('fc4.weight')!.values);
  });

  it('refuses a directory and a FIFO (opened non-blocking: no hang) with a ValueError', async () => {
    await expect(readSafetensorsFile(dir)).rejects.toThrow(ValueError);
    const fifo = path.join(dir, 'fifo.safetensors');
    execFileSync('mkfifo', [fifo]);
    await expect(readSafetensorsFile(fifo)).rejects.toThrow('not a regular file');
  });

  it('refuses a file over maxBytes by its size, before reading it', async () => {
    const file = path.join(dir, 'big.safetensors');
    await writeFile(file, writeSafetensors({ w: { shape: [1000], values: new Float32Array(1000) } }));
    await expect(readSafetensorsFile(file, { maxBytes: 1000 })).rejects.toThrow(SafetensorsFormatError);
  });

  it('keeps memory bounded for giant declared sizes (a child process: maxRSS < 300 MB)', async () => {
    const reader = await transpileReader(path.join(dir, 'reader'));
    const big = (name: string) => path.join(dir, name);
    const header = (n: bigint, body = '') => {
      const json = Buffer.from(body);
      const out = Buffer.alloc(8 + json.length);
      out.writeBigUInt64LE(n);
      json.copy(out, 8);
      return out;
    };
    await writeFile(big('n-2e40'), header(2n ** 40n));
    await writeFile(big('n-100mb'), header(100_000_000n, '{}'));
    const huge = JSON.stringify({ w: { dtype: 'F32', shape: [2 ** 40], data_offsets: [0, 2 ** 42] } });
    await writeFile(big('tensor-4tb'), header(BigInt(huge.length), huge));
    const spaces = `{${' '.repeat(60_000_000)}}`; // a legal 60 MB header: read and parsed within the bound
    await writeFile(big('header-60mb'), Buffer.concat([header(BigInt(spaces.length), spaces), Buffer.alloc(4)]));
    execFileSync('truncate', ['-s', '3G', big('sparse-3g')]); // over the 2 GiB default: refused by fstat
    const script = `
      const { readSafetensorsFile } = await import(${JSON.stringify(reader)});
      const results = [];
      for (const f of ${JSON.stringify(['n-2e40', 'n-100mb', 'tensor-4tb', 'header-60mb', 'sparse-3g'].map(big))}) {
        try { await readSafetensorsFile(f); results.push('read'); } catch (e) { results.push(e.name + ': ' + e.message.slice(0, 60)); }
      }
      console.log(JSON.stringify({ results, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const { results, maxRssBytes } = JSON.parse(out.trim().split('\n').pop()!);
    expect(results).toHaveLength(5);
    for (const r of results) expect(r).toMatch(/^SafetensorsFormatError/);
    expect(maxRssBytes).toBeLessThan(300 * 1024 ** 2);
    if (process.env.INTEROP_PRINT_RSS) console.info(`child maxRSS ${(maxRssBytes / 1024 ** 2).toFixed(1)} MB`, results);
  }, 120_000);
});

describe('readSafetensorsFrom in Node (Blob, URL over real HTTP)', () => {
  const bytes = writeSafetensors({ w: { shape: [4, 4], values: Float32Array.from({ length: 16 }, (_, i) => i) } });
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok') res.end(Buffer.from(bytes));
      else if (req.url === '/declared-huge') {
        res.writeHead(200, { 'content-length': String(10 * 1024 ** 3) });
        res.write(Buffer.from(bytes)); // then nothing: the reader must stop at the header, not wait for 10 GiB
        req.on('close', () => res.destroy());
      } else if (req.url === '/endless') {
        res.writeHead(200); // chunked, no Content-Length: cut at maxBytes while streaming
        const chunk = Buffer.alloc(64 * 1024);
        const write = () => {
          while (res.write(chunk)) if (res.writableLength > 1e6) break;
        };
        res.on('drain', write);
        write();
        req.on('close', () => res.destroy());
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads bytes, a Blob and a URL alike', async () => {
    for (const source of [bytes, bytes.buffer, new Blob([bytes]), `${base}/ok`, new URL(`${base}/ok`)]) {
      const file = await readSafetensorsFrom(source as Parameters<typeof readSafetensorsFrom>[0]);
      expect(Array.from(file.tensors.get('w')!.values)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    }
  });

  it('refuses a Content-Length over the bound, a stream past it, a Blob over it, and HTTP errors', async () => {
    await expect(readSafetensorsFrom(`${base}/declared-huge`)).rejects.toThrow('Content-Length');
    await expect(readSafetensorsFrom(`${base}/endless`, { maxBytes: 4 * 1024 ** 2 })).rejects.toThrow(
      SafetensorsFormatError,
    );
    await expect(readSafetensorsFrom(new Blob([bytes]), { maxBytes: 10 })).rejects.toThrow(SafetensorsFormatError);
    await expect(readSafetensorsFrom(`${base}/missing`)).rejects.toThrow(ValueError);
  });

  it('reads a Blob header before its data: a hostile header is refused from 8 + N bytes', async () => {
    const hostile = new Blob([new Uint8Array(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])), new Uint8Array(1000)]);
    await expect(readSafetensorsFrom(hostile)).rejects.toThrow('header length out of bounds');
  });
});
