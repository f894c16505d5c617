/**
 * What the demo fetches: one resource per cache policy, all from the demo origin's configurable
 * `/api/` routes (see e2e/server/). `stale-if-error` on the short-lived ones keeps them usable
 * while the origin is down; the long-lived one needs nothing, it is fresh for a year.
 */
export interface DemoResource {
  readonly id: string;
  readonly label: string;
  readonly policy: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
}

function api(path: string, query: Record<string, string>): string {
  return `${path}?${new URLSearchParams(query).toString()}`;
}

export const RESOURCES: readonly DemoResource[] = [
  {
    id: 'logo',
    label: 'Logo (long max-age)',
    policy: 'max-age=31536000, immutable',
    url: api('/api/resource', {
      id: 'logo',
      cc: 'max-age=31536000, immutable',
      tag: 'static',
      body: 'the logo bytes',
    }),
  },
  {
    id: 'news',
    label: 'News (short max-age + ETag)',
    policy: 'max-age=5, stale-if-error=86400; ETag',
    url: api('/api/resource', {
      id: 'news',
      cc: 'max-age=5, stale-if-error=86400',
      etag: 'news-v1',
      tag: 'news',
    }),
  },
  {
    id: 'feed',
    label: 'Feed (stale-while-revalidate)',
    policy: 'max-age=2, stale-while-revalidate=60, stale-if-error=86400',
    url: api('/api/resource', {
      id: 'feed',
      cc: 'max-age=2, stale-while-revalidate=60, stale-if-error=86400',
      tag: 'news',
    }),
  },
  {
    id: 'greeting-en',
    label: 'Greeting, English (Vary: X-Lang)',
    policy: 'max-age=60, stale-if-error=86400; Vary: X-Lang',
    url: api('/api/resource', {
      id: 'greeting',
      cc: 'max-age=60, stale-if-error=86400',
      vary: 'X-Lang',
      tag: 'i18n',
    }),
    headers: { 'X-Lang': 'en' },
  },
  {
    id: 'greeting-fr',
    label: 'Greeting, French (Vary: X-Lang)',
    policy: 'same URL, another variant',
    url: api('/api/resource', {
      id: 'greeting',
      cc: 'max-age=60, stale-if-error=86400',
      vary: 'X-Lang',
      tag: 'i18n',
    }),
    headers: { 'X-Lang': 'fr' },
  },
  {
    id: 'download',
    label: 'Download (slow, streamed)',
    policy: 'max-age=600; 320 KiB in 2 s',
    url: api('/api/slow', {
      id: 'download',
      chunks: '20',
      chunkSize: '16384',
      interval: '100',
      cc: 'max-age=600, stale-if-error=86400',
      tag: 'downloads',
    }),
  },
  {
    id: 'broken',
    label: 'Broken endpoint (503)',
    policy: 'the origin fails: nothing is stored',
    url: api('/api/error', { status: '503' }),
  },
];
