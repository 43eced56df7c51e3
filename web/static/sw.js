// smallBMS NG Studio service worker: the app works with no network (next to a boat's battery bank).
// On install it caches the page and every asset the page names (Trunk's hashed wasm, js and css), so one online
// visit is enough; then it answers from the cache first and refreshes it in the background.
const CACHE = 'smallbms-studio-v1';

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch('./', { cache: 'no-cache' });
  const html = await res.clone().text();
  await cache.put('./', res);
  const assets = new Set(['manifest.webmanifest', 'icon.svg']);
  for (const m of html.matchAll(/(?:href|src)="([^"#?]+\.(?:wasm|js|css))"/g)) assets.add(m[1]);
  for (const m of html.matchAll(/['"]([^'"]+\.(?:wasm|js))['"]/g)) assets.add(m[1]);
  await cache.addAll([...assets].map((a) => new URL(a, self.registration.scope).href));
  // Drop older caches of previous builds.
  for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
}

self.addEventListener('install', (e) => { e.waitUntil(precache().then(() => self.skipWaiting())); });
self.addEventListener('activate', (e) => { e.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const key = url.pathname.endsWith('/') ? new Request('./') : e.request;
  e.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key, { ignoreSearch: true });
    const fresh = fetch(e.request).then((res) => {
      if (res.ok) cache.put(key, res.clone());
      return res;
    }).catch(() => undefined);
    return hit ?? (await fresh) ?? new Response('offline', { status: 503 });
  })());
});
