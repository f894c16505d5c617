/**
 * A real video for the media specs, made at test time with ffmpeg (installed by
 * scripts/ensure-browsers.mjs; no binary in the repository): a test pattern in WebM (VP8), a
 * keyframe a second, the Cues (the index a player seeks with) at the front.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { MEDIA_DIR } from '../server/media-route.mjs';

/** Whether ffmpeg can be run. */
export const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;

export interface MediaClip {
  /** The path the origin serves it at. */
  readonly path: string;
  readonly size: number;
  readonly seconds: number;
}

/** Makes the clip once per run (parallel workers each write a file of their own, then rename). */
export function mediaClip(seconds = 6): MediaClip {
  const name = `pattern-${seconds}s.webm`;
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
