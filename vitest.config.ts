import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

const WORKFLOW_PARSER = '@actions/workflow-parser';

// GitHub's workflow parser ships source maps that name sources it does not ship; loading its files without the
// sourceMappingURL comment keeps Vite from warning once per file.
const workflowParserWithoutMaps: Plugin = {
  name: 'workflow-parser-without-source-maps',
  load(id) {
    if (!id.includes(`/node_modules/${WORKFLOW_PARSER}/`) || !id.endsWith('.js')) return null;
    return readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  },
};

export default defineConfig({
  plugins: [workflowParserWithoutMaps],
  test: {
    // Playwright specs live in e2e/ and must never be collected here.
    include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // The workflow parser imports its JSON schema without an import attribute, which Node 20 refuses; letting
    // Vite transform it supplies the JSON.
    server: { deps: { inline: [WORKFLOW_PARSER] } },
  },
});
