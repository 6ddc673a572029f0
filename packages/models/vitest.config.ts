import { backendProjects } from '@latentlab/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { projects: backendProjects({ name: 'models' }) },
});
