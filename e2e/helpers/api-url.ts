/**
 * Builds test-origin URLs from readable parameters, so specs say `{ cc: 'max-age=60' }` instead
 * of hand-encoding `cc=max-age%3D60`.
 */

/** A query value; a list repeats the parameter (`h: ['x-a:1', 'x-b:2']`). */
export type QueryValue = string | number | readonly string[];
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** `route?params`, every value percent-encoded, list values repeated in order. */
export function apiUrl(route: string, params: QueryParams = {}): string {
  const query = toQuery(params);
  return query === '' ? route : `${route}?${query}`;
}

/**
 * `/api/sequence` whose n-th answer is `responses[n-1]` (the last one answers every later
 * request); see `sequenceRoute` in e2e/server/http-routes.mjs. `extra` adds outer parameters,
 * e.g. `{ id: 'a' }` to tell two otherwise equal URLs apart.
 */
export function sequenceUrl(responses: readonly QueryParams[], extra: QueryParams = {}): string {
  const outer: Record<string, QueryValue> = { ...extra };
  responses.forEach((response, index) => {
    outer[`r${index + 1}`] = toQuery(response);
  });
  return apiUrl('/api/sequence', outer);
}

function toQuery(params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    const values: readonly (string | number)[] = Array.isArray(value) ? value : [value as string];
    for (const item of values) query.append(name, String(item));
  }
  return query.toString();
}
