/// <reference lib="webworker" />
// The sw-http-cache contender: the library's worker entry with routes for `/api/`, tuned by the
// query string of its script URL (sw-http-cache-options.ts), like the demo worker but without the
// demo's app shell, so only the cache is measured. Every feature is on, as `installHttpCache` had
// them all before they became optional: section 5 listens to the cache events (which come with
// controlEndpoint()), and the time rows stay comparable with earlier runs. Section 6 measures the
// minimal worker (sw-http-cache-minimal.ts) beside it.
import {
  controlEndpoint,
  crossContext,
  installHttpCache,
  multipartRanges,
  noVarySearch,
  partialContent,
} from '../../src/sw/index.ts';
import { benchOptions } from './sw-http-cache-options.ts';

installHttpCache({
  ...benchOptions(),
  features: [
    controlEndpoint(),
    crossContext(),
    noVarySearch(),
    multipartRanges(),
    partialContent(),
  ],
});
