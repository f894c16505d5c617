// @ts-check
/**
 * A real video made with ffmpeg (installed by scripts/ensure-browsers.mjs; no binary in the
 * repository): a test pattern in WebM (VP8), a keyframe a second, the Cues (the index a player
 * seeks with) at the front, written to `test-results/media/` where `/api/media` serves it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { MEDIA_DIR } from './media-route.mjs';

/** Whether ffmpeg can be run. */
export const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;

/**
 * Makes the clip once (parallel makers each write a file of their own, then rename); resolves
 * with the path the origin serves it at and its size.
 *
 * @param {number} seconds
 * @param {string} [prefix]
 * @returns {{ path: string, size: number, seconds: number }}
 */
export function makeClip(seconds, prefix = 'pattern') {
  const name = `${prefix}-${seconds}s.webm`;
  const file = join(MEDIA_DIR, name);
  if (!existsSync(file)) {
    mkdirSync(MEDIA_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.webm`;
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=320x240:rate=25`],
      ...['-c:v', 'libvpx', '-b:v', '1M', '-g', '25', '-deadline', 'realtime', '-cpu-used', '8'],
      ...['-cues_to_front', '1', '-f', 'webm', partial],
    ]);
    renameSync(partial, file);
  }
  return { path: `/api/media?file=${name}`, size: statSync(file).size, seconds };
}
