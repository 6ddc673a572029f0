/**
 * Test helper: transpiles the Node safetensors reader (and what it imports of core: the error classes, `concatBytes`
 * and the regular-file reader) to plain JS in `dir`, so a child `node` process can run the real reader without vite
 * (used to measure its memory alone).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FILES = [
  'errors.ts',
  'safetensors/dtype.ts',
  'safetensors/header.ts',
  'safetensors/read.ts',
  'safetensors/source.ts',
  'node/read-file.ts',
];

export async function transpileReader(dir: string): Promise<string> {
  const emit = async (from: string, to: string) => {
    const code = (await readFile(from, 'utf8')).replace(/from '@latentlab\/core(\/node)?'/g, (_, node?: string) => {
      const target = path.join(dir, node ? 'core/node/regular-file.js' : 'core/index.js');
      const rel = path.relative(path.dirname(to), target);
      return `from '${rel.startsWith('.') ? rel : `./${rel}`}'`;
    });
    const out = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, out.outputText);
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
  await emit(path.join(src, '../../core/src/errors.ts'), path.join(dir, 'core/errors.js'));
  await emit(path.join(src, '../../core/src/concat-bytes.ts'), path.join(dir, 'core/concat-bytes.js'));
  await writeFile(
    path.join(dir, 'core/index.js'),
    "export * from './errors.js';\nexport * from './concat-bytes.js';\n",
  );
  await emit(path.join(src, '../../core/src/node/regular-file.ts'), path.join(dir, 'core/node/regular-file.js'));
  for (const f of FILES) await emit(path.join(src, f), path.join(dir, f.replace(/\.ts$/, '.js')));
  return path.join(dir, 'node/read-file.js');
}
