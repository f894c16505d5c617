/**
 * The cache inspector (`import … from 'sw-http-cache/inspector'`): a custom element that shows
 * what the cache holds and does, for any app during development. Its own entry point, so apps
 * that do not import it do not ship it.
 */
import { HttpCacheInspector } from './element.ts';

export { HttpCacheInspector, type InspectorClient } from './element.ts';
export { formatBytes, formatFreshness, displayUrl } from './format.ts';

/** The element's default tag name. */
export const INSPECTOR_TAG = 'http-cache-inspector';

/**
 * Defines the `<http-cache-inspector>` element (or one under `name`) once; a second call is a
 * no-op. Returns the element class. Defining is explicit, not an import side effect, so bundlers
 * may drop the module when nothing uses it.
 */
export function defineHttpCacheInspector(name: string = INSPECTOR_TAG): typeof HttpCacheInspector {
  const existing = customElements.get(name);
  if (existing === undefined) customElements.define(name, HttpCacheInspector);
  else if (existing !== HttpCacheInspector) {
    throw new Error(`sw-http-cache: <${name}> is already defined by another element`);
  }
  return HttpCacheInspector;
}

declare global {
  interface HTMLElementTagNameMap {
    'http-cache-inspector': HttpCacheInspector;
  }
}
