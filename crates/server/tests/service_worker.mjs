// Runs the app's service worker (public/sw.js) in Node with the browser's worker globals
// stood in for, against a real Switchboard server: a notification click with a quick reply
// posts it with the member's session (a cookie, as the browser's same-origin fetch sends),
// a refused reply tells the member so, and a plain click opens the message in an open
// window of the app or a new one; a push shows its notification in the device's language.
//
// Usage: node service_worker.mjs SW_PATH ORIGIN COOKIE SCENARIO_JSON
// Prints one JSON line: what the worker did.

import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [swPath, origin, cookie, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson);

const listeners = {};
const shown = [];
const opened = [];
const messages = [];
const focused = [];
const requests = [];
let closed = 0;

const windows = scenario.windows.map((url) => ({
  url: origin + url,
  focus: async () => { focused.push(url); },
  postMessage: (message) => { messages.push(message); },
}));

const worker = {
  location: new URL(origin + '/sw.js'),
  addEventListener: (type, listener) => { listeners[type] = listener; },
  registration: {
    showNotification: async (title, options) => { shown.push({ title, options }); },
  },
  clients: {
    matchAll: async () => windows,
    openWindow: async (url) => { opened.push(url); },
    claim: async () => {},
  },
  skipWaiting: async () => {},
};

// The browser's fetch from the worker: same-origin paths, the session's cookie along.
async function workerFetch(path, init = {}) {
  const headers = { ...(init.headers || {}), cookie };
  requests.push({ path, method: init.method || 'GET', body: init.body ? JSON.parse(init.body) : null });
  return fetch(new URL(path, origin), { ...init, headers });
}

const context = vm.createContext({
  self: worker,
  fetch: workerFetch,
  caches: { open: async () => ({}), keys: async () => [], delete: async () => true },
  URL, Headers, Response, Promise, JSON, Date, console,
});
vm.runInContext(readFileSync(swPath, 'utf8'), context, { filename: 'sw.js' });

const pending = [];
const notification = {
  tag: scenario.tag,
  data: scenario.data,
  close: () => { closed += 1; },
};
if (scenario.push) {
  // A push arrives: its payload as the push service delivers it, decrypted.
  listeners.push({
    data: { json: () => scenario.push },
    waitUntil: (promise) => { pending.push(promise); },
  });
} else {
  listeners.notificationclick({
    action: scenario.action,
    reply: scenario.reply,
    notification,
    waitUntil: (promise) => { pending.push(promise); },
  });
}
await Promise.all(pending);

console.log(JSON.stringify({ shown, opened, messages, focused, requests, closed }));
