/**
 * Warms the worker's copy of the app shell (see demo/shell.ts): the first visit loaded the page
 * before the worker controlled it, so fetch the page and everything it loaded once more, now
 * through the worker, which keeps a copy of each.
 */
export async function warmShell(): Promise<void> {
  const urls = new Set<string>(['/', '/manifest.webmanifest']);
  for (const element of document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
    'script[src], link[href]',
  )) {
    const url = new URL('src' in element ? element.src : element.href, location.href);
    if (url.origin === location.origin) urls.add(url.pathname);
  }
  await Promise.all([...urls].map((url) => fetch(url).then((r) => r.arrayBuffer())));
}
