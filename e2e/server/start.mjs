// @ts-check
/**
 * Serves the demo (`dist-demo/`) and the test routes on http://localhost:5173 for `npm start`.
 * Usage: node e2e/server/start.mjs [--port 5173] [--static dist-demo]
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { HAS_FFMPEG, makeClip } from './media-clip.mjs';
import { startOrigin } from './origin.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '5173' },
    static: { type: 'string', default: 'dist-demo' },
  },
});

// The demo's video (its <video> asks for /api/media?file=demo-12s.webm); without ffmpeg it 404s.
if (HAS_FFMPEG) makeClip(12, 'demo');

const origin = await startOrigin({
  port: Number(values.port),
  host: '127.0.0.1',
  staticDir: values.static,
});
console.log(`sw-http-cache demo: http://localhost:${origin.port}/  (Ctrl+C to stop)`);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    void origin.close().then(() => process.exit(0));
  });
}
