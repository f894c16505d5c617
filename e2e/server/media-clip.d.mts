/** Types for media-clip.mjs. */
export declare const HAS_FFMPEG: boolean;

export declare function makeClip(
  seconds: number,
  prefix?: string,
): { path: string; size: number; seconds: number };
