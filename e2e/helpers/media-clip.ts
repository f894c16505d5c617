/** The real video of the media specs (see e2e/server/media-clip.mjs, shared with `npm start`). */
import { HAS_FFMPEG, makeClip } from '../server/media-clip.mjs';

export { HAS_FFMPEG };

export interface MediaClip {
  /** The path the origin serves it at. */
  readonly path: string;
  readonly size: number;
  readonly seconds: number;
}

/** A clip of `seconds` (made once per run). */
export function mediaClip(seconds = 6): MediaClip {
  return makeClip(seconds);
}
