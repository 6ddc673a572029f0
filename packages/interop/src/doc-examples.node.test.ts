// Every `@example` of this package's doc comments, extracted from the sources and run (tooling/vitest/doc-examples.js).
import { docExampleTests } from '@latentlab/vitest-config/doc-examples';
import { afterAll, beforeAll, describe, test } from 'vitest';

await docExampleTests(import.meta.url, { afterAll, beforeAll, describe, test });
