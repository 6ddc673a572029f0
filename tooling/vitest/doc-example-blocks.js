// The `@example` blocks of doc comments, from a source file's text: no Node API, so a browser test (a project
// whose backend only a browser has) extracts them too, from the sources Vite gives it (`import.meta.glob`, `?raw`).

/**
 * The name declared right after a doc comment (`export function name`, `class Name`, `  method(`); `module` for
 * the module's own comment, the one followed by its imports or re-exports (`import …`, `export { … } from`).
 */
function declaredName(after) {
  if (/^\s*(?:import\b|export\s+(?:type\s+)?[{*])/.test(after)) return 'module';
  const m = after.match(
    /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:static\s+)?(?:readonly\s+)?(?:get\s+|set\s+)?(?:function\*?\s+|class\s+|const\s+|let\s+|interface\s+|type\s+)?([\w$[\]]+)/,
  );
  return m?.[1] ?? 'module';
}

/**
 * The `@example` blocks of the doc comments in a source `text`: `{ name, code, member }` per block, the code with
 * the comment's `*` margin removed and any Markdown fence stripped.
 */
export function examplesInText(text) {
  const examples = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = m[1].split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 200);
    const name = declaredName(after);
    const member = /^\n[ \t]+\S/.test(after); // a class member or an interface field, not a top-level declaration
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i])) continue;
      const block = [lines[i].replace(/^@example\b\s*/, '')];
      for (i++; i < lines.length && !/^@\w/.test(lines[i]); i++) block.push(lines[i]);
      i--;
      const code = block
        .filter((line) => !/^\s*```/.test(line))
        .join('\n')
        .trim();
      if (code) examples.push({ name, code, member });
    }
  }
  return examples;
}

/** An `import` line of an example (`import { a } from 'x';`, `import 'x';`), in a multiline regex over its code. */
export const IMPORT_LINE = /^import\s[\s\S]*?from\s+'([^']+)';?[ \t]*$|^import\s+'([^']+)';?[ \t]*$/gm;

/**
 * Waits for an example's `run` to settle: it must finish, unless its code shows an error on a line of its own
 * (`// throws ValueError: …`), when it must throw an error of that name.
 */
export async function settleExample(code, run) {
  const throws = code.match(/^\s*\/\/ throws (\w+)/m)?.[1];
  if (throws === undefined) return run;
  return run.then(
    () => Promise.reject(new Error(`expected the example to throw ${throws}, it ran to the end`)),
    (err) => {
      if (err?.name !== throws && err?.constructor?.name !== throws) throw err;
    },
  );
}
