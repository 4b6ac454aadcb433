// Switchboard's service worker: the app shell offline (X2) and Web Push notifications (O2).
//
// Offline: pages are fetched from the network first and fall back to the last app shell;
// the app's built files (their names, or for the words fetched later their query, carry a
// hash, so they never change) come from the cache first; the API's reads are network-first with the last answer kept, so conversations seen
// before open read-only without a connection. Nothing else is cached, and signing out
// empties the API cache (the app does that).
//
// Pushes arrive decrypted as the server's `PushPayload`: one notification per contact (its
// tag), labelled with the workspace, with the picture of an image message and a quick reply
// that posts the answer without opening the app. A click opens the message's link in an
// open window of the app, or a new one.

const SHELL = 'switchboard-shell-v1';
const FILES = 'switchboard-files-v1';
const API = 'switchboard-api-v1';
const KEEP = [SHELL, FILES, API];

/** Paths of the built files an app shell loads: stylesheets, the script and the wasm. */
function shellAssets(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) found.add(match[1]);
  for (const match of html.matchAll(/'(\/[^']+\.(?:js|wasm))'/g)) found.add(match[1]);
  return [...found].filter((path) => !path.startsWith('/api/'));
}

async function cacheShell() {
  const response = await fetch('/', { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  const shell = await caches.open(SHELL);
  await shell.put('/', response);
  const files = await caches.open(FILES);
  const keep = async (path) => {
    if (await files.match(path)) return;
    const asset = await fetch(path);
    if (!asset.ok) return;
    await files.put(path, asset.clone());
    // Scripts name what they load by relative paths: wasm-bindgen's snippets, the chunk
    // loader, and the chunks of the app's later parts (so they open offline too).
    if (path.endsWith('.js')) {
      const base = path.slice(0, path.lastIndexOf('/') + 1);
      const text = await asset.text();
      const named = [...text.matchAll(/['"]\.\/([^'"]+\.(?:js|wasm))['"]/g)];
      await Promise.all(named.map((m) => keep(base + m[1])));
    }
  };
  await Promise.all(shellAssets(html).map(keep));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !KEEP.includes(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

/** Network first; the last good answer (kept under `key`) when the network fails. */
async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) {
      const headers = new Headers(kept.headers);
      headers.set('X-Switchboard-Offline', '1');
      return new Response(kept.body, { status: kept.status, headers });
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(FILES);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every app page is the same shell (the server falls back to index.html).
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/chat/')) return;
    event.respondWith(networkFirst(request, SHELL, '/'));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    // Reads the inbox shows; never files (they can be large), the socket, or pushes' key.
    const cached = /^\/api\/v1\/(me$|workspaces\/\d+\/(conversations|folders|snippets|settings|members|teams|notifications))/;
    if (cached.test(url.pathname) && !url.pathname.includes('/attachments/')) {
      event.respondWith(networkFirst(request, API, request.url));
    }
    return;
  }
  if (/\.(?:js|wasm|css|ftl|png|svg|webmanifest)$/.test(url.pathname) && url.pathname !== '/sw.js') {
    event.respondWith(cacheFirst(request));
  }
});

self.addEventListener('message', (event) => {
  // The app signs out: nothing of the account stays on the device.
  if (event.data && event.data.type === 'signed-out') {
    event.waitUntil(caches.delete(API));
  }
});

/** The notification a push shows. */
function notificationOf(push) {
  const options = {
    body: push.body,
    tag: push.tag,
    renotify: true,
    icon: '/public/icons/icon-192.png',
    badge: '/public/icons/badge-72.png',
    timestamp: Date.now(),
    data: {
      url: push.url,
      reply: push.reply || null,
      notification_id: push.notification_id,
      workspace_id: push.workspace_id,
    },
  };
  if (push.image) options.image = push.image;
  if (push.reply) {
    // The words come in the device's language with the push.
    options.actions = [{
      action: 'reply',
      type: 'text',
      title: push.reply.label || 'Reply',
      placeholder: push.reply.placeholder || 'Write a reply…',
    }];
  }
  return { title: `${push.title} · ${push.workspace}`, options };
}

/**
 * Pushes are shown one after another, in the order they came: a newer push about a contact
 * replaces the older one (same tag) even when the older one's picture loads more slowly.
 */
let showing = Promise.resolve();

self.addEventListener('push', (event) => {
  let push;
  try {
    push = event.data.json();
  } catch (error) {
    return;
  }
  const { title, options } = notificationOf(push);
  showing = showing
    .catch(() => {})
    .then(() => self.registration.showNotification(title, options));
  event.waitUntil(showing);
});

async function markRead(data) {
  await fetch(`/api/v1/workspaces/${data.workspace_id}/notifications/read`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ids: [data.notification_id] }),
  }).catch(() => {});
}

/** Posts a quick reply; tells the member when it did not go. */
async function quickReply(notification, text) {
  const data = notification.data;
  let failure = null;
  try {
    const response = await fetch(data.reply.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: `push-${data.notification_id}-${Date.now()}`,
        kind: data.reply.kind,
        text,
      }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      failure = body.message || `The server answered ${response.status}.`;
    }
  } catch (error) {
    failure = data.reply.offline || 'You are offline.';
  }
  if (failure) {
    await self.registration.showNotification(data.reply.not_sent || 'Your reply was not sent', {
      body: `${failure} ${data.reply.try_again || 'Open the conversation to try again.'}`,
      tag: notification.tag,
      icon: '/public/icons/icon-192.png',
      data: { ...data, reply: null },
    });
    return;
  }
  notification.close();
  await markRead(data);
}

/** Opens `url` in a window of the app (the focused one first), or a new one. */
async function open(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const target = new URL(url, self.location.origin).href;
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) continue;
    await client.focus();
    // The app routes without reloading.
    client.postMessage({ type: 'open', url });
    return;
  }
  await self.clients.openWindow(target);
}

self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  const data = notification.data || {};
  if (event.action === 'reply' && data.reply) {
    const text = (event.reply || '').trim();
    if (text) {
      event.waitUntil(quickReply(notification, text));
      return;
    }
  }
  notification.close();
  event.waitUntil(Promise.all([open(data.url || '/'), data.notification_id ? markRead(data) : null]));
});
