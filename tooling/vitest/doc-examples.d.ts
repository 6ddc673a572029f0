/** One `@example` block of a doc comment: the declaration it documents and its code. */
export interface DocExample {
  name: string;
  code: string;
  /** Whether it documents a class member or an interface field rather than a top-level declaration. */
  member: boolean;
}
/** The `@example` blocks of the doc comments in a source file. */
export function examplesIn(file: string): DocExample[];
/** Which examples {@link docExampleTests} runs besides those of what the package exports. */
export interface DocExampleOptions {
  /** Also the examples of declarations the entries do not export, with their own file's exports in scope. */
  internal?: boolean;
  /** Directories of `src/` whose files are skipped (`'ops/webgpu'`): code the project's backend cannot run. */
  exclude?: readonly string[];
}
/** Registers one test per `@example` block of the package whose `src/doc-examples.node.test.ts` is `testFileUrl`. */
export function docExampleTests(
  testFileUrl: string,
  vitest: {
    describe: (name: string, fn: () => void) => void;
    test: (name: string, fn: () => Promise<void>) => void;
    beforeAll: (fn: () => Promise<void>) => void;
    afterAll: (fn: () => void) => void;
  },
  options?: DocExampleOptions,
): Promise<void>;
