// `npm run test:reliability`: the reliability specs (e2e/reliability-*.spec.ts) at the sizes
// docs/RELIABILITY.md reports, instead of the short version that `npm test` and CI run.
// Extra arguments go to Playwright, e.g. `npm run test:reliability -- --project chromium`.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const run = (command, args, env = process.env) => {
  const { status } = spawnSync(command, args, { stdio: 'inherit', env, shell: false });
  if (status !== 0) process.exit(status ?? 1);
};

run('node', ['scripts/ensure-browsers.mjs']);
run('node', ['scripts/build.mjs']);
run(
  'npx',
  [
    'playwright',
    'test',
    'e2e/reliability-',
    '--output=test-results/reliability',
    ...process.argv.slice(2),
  ],
  { ...process.env, SW_HTTP_CACHE_RELIABILITY: 'full' },
);
