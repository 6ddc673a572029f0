// Offline support for the playground: every same-origin GET is fetched from the network when possible and
// stored in a cache; when the network fails, the cached copy is served (headers included, so the page stays
// cross-origin isolated offline). Nothing from other origins is cached or fetched.
const CACHE = 'latentlab-playground-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return response;
      } catch (error) {
        const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
