/** Small formatting helpers for the dashboard. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "fresh for 4 s", "stale for 2 min" */
export function formatFreshness(freshUntil: number, now: number): string {
  const seconds = Math.round((freshUntil - now) / 1000);
  return seconds > 0 ? `fresh for ${duration(seconds)}` : `stale for ${duration(-seconds)}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** A cache key's URL as the dashboard shows it: path and query of this origin. */
export function shortUrl(url: string): string {
  const parsed = new URL(url, location.href);
  return parsed.origin === location.origin ? parsed.pathname + parsed.search : parsed.href;
}

export function clock(time: number): string {
  return new Date(time).toLocaleTimeString('en-GB', { hour12: false });
}
