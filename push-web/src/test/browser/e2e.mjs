// End-to-end test of the browser client (/push.js) and the demo page (/demo) in Debian's headless
// Chromium, driven by playwright-core. BrowserClientIT runs it against a Payara Micro it deployed:
//
//   node e2e.mjs http://127.0.0.1:PORT
//
// CHROMIUM names the browser (default /usr/bin/chromium). Exits 0 when every check passed.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { WAIT, baseUrl, withChromium } from "./chromium.mjs";

const base = baseUrl("e2e.mjs", 150);

/** Pushes through the admin endpoint (loopback, no credential) and expects ret 0. */
async function push(key, message, expire) {
  const response = await fetch(`${base}/1/admin/push/private?key=${encodeURIComponent(key)}&expire=${expire}`, {
    method: "POST",
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  const reply = await response.json();
  assert.equal(reply.ret, 0, `push of ${JSON.stringify(message)} answered ${JSON.stringify(reply)}`);
}

/** Pushes a public message (every subscriber) and expects ret 0. */
async function pushPublic(message, expire) {
  const response = await fetch(`${base}/1/admin/push/public?expire=${expire}`, {
    method: "POST",
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  const reply = await response.json();
  assert.equal(reply.ret, 0, `public push of ${JSON.stringify(message)} answered ${JSON.stringify(reply)}`);
}

/** POSTs to an admin endpoint (loopback, no credential) and expects ret 0. */
async function admin(pathAndQuery, body) {
  const response = await fetch(`${base}${pathAndQuery}`, { method: "POST", body, signal: AbortSignal.timeout(10_000) });
  const reply = await response.json();
  assert.equal(reply.ret, 0, `${pathAndQuery} answered ${JSON.stringify(reply)}`);
}

/** The demo page's list: [{mid, msg, kind}] in page order. */
function shown(page) {
  return page.$$eval("#messages li", (items) =>
    items.map((item) => ({ mid: Number(item.dataset.mid), msg: JSON.parse(item.querySelector(".msg").textContent),
      kind: item.dataset.kind })));
}

function step(text) {
  console.log(`ok - ${text}`);
}

// page.unroute needs the very function given to page.route
const isLookup = (url) => url.pathname === "/1/server/get";
const isFetch = (url) => url.pathname === "/1/msg/get";

/**
 * The demo page subscribes; a push from its form appears; the server closes the connection and the
 * node lookup is refused while three messages are pushed; after the reconnect they appear once each,
 * in mid order, and a message pushed while the catch-up fetch is held arrives on both the socket and
 * the fetch but is shown once.
 */
async function demoPageRecoversWhatWasMissed(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const frames = [];
  page.on("websocket", (socket) => socket.on("framereceived", (frame) => frames.push(String(frame.payload))));

  const key = `e2e-${Date.now()}`;
  await page.goto(`${base}/demo`);
  await page.fill("#key", key);
  await page.click("#subscribe");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("subscribed on"), null, WAIT);
  step("the demo page subscribed");

  await page.fill("#message", JSON.stringify({ n: 0 }));
  await page.click("#push");
  await page.waitForFunction(() => document.querySelector("#push-result").textContent === "ret 0", null, WAIT);
  await page.waitForFunction(() => document.querySelectorAll("#messages li").length === 1, null, WAIT);
  assert.deepEqual((await shown(page)).map((m) => m.msg), [{ n: 0 }]);
  step("a push from the demo page's form appeared with ret 0");

  // Offline: every lookup fails, so the client stays away until the route is lifted.
  await page.route(isLookup, (route) => route.abort("connectionrefused"));
  // A subscriber may send nothing but the heartbeat: the server answers anything else by closing.
  await page.evaluate(() => window.demo.client._socket.send("not a heartbeat"));
  await page.waitForFunction(() => !window.demo.client.connected, null, WAIT);
  await page.waitForFunction(() => document.querySelector("#log").textContent.includes("lookup-failed"), null, WAIT);
  step("the server closed the connection and the lookups fail");

  for (const n of [1, 2, 3]) {
    await push(key, { n }, 600);
  }
  assert.equal(await page.evaluate(() => window.demo.client.connected), false);
  step("pushed 1, 2 and 3 while the page was disconnected");

  let heldFetch;
  const fetchHeld = new Promise((resolve) => {
    heldFetch = resolve;
  });
  await page.route(isFetch, (route) => heldFetch(route));
  await page.unroute(isLookup);
  const route = await Promise.race([fetchHeld, page.waitForTimeout(45_000).then(() => null)]);
  assert.ok(route, "the client did not fetch missed messages within 45 s of the lookup coming back");
  assert.equal(await page.evaluate(() => window.demo.client.connected), true, "subscribed before the fetch");
  step("the client reconnected and asked for what it missed");

  await push(key, { n: 4 }, 600);
  const deadline = Date.now() + 10_000;
  while (!frames.some((frame) => frame.includes('"n":4')) && Date.now() < deadline) {
    await page.waitForTimeout(50);
  }
  assert.ok(frames.some((frame) => frame.includes('"n":4')), "message 4 did not arrive on the socket");
  assert.equal((await shown(page)).length, 1, "socket messages wait for the fetch");
  const fetched = page.waitForResponse((response) => new URL(response.url()).pathname === "/1/msg/get", WAIT);
  await route.continue();
  const reply = await (await fetched).json();
  await page.unroute(isFetch);
  assert.deepEqual(reply.data.msgs.map((m) => m.msg), [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  step("message 4 came on the socket and again in the fetch");

  await page.waitForFunction(() => document.querySelectorAll("#messages li").length >= 5, null, WAIT);
  await page.waitForTimeout(1500);
  const messages = await shown(page);
  assert.deepEqual(messages.map((m) => m.msg), [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  const mids = messages.map((m) => m.mid);
  assert.deepEqual(mids.slice(1), reply.data.msgs.map((m) => m.mid), "mids as stored");
  assert.ok(mids.every((mid, i) => i === 0 || mid > mids[i - 1]), `mids increase: ${mids}`);
  assert.equal(await page.evaluate(() => window.demo.client.lastMid), mids[4]);
  assert.deepEqual(pageErrors, []);
  step(`after the reconnect the page shows 0 to 4 once each, in mid order (${mids.join(", ")})`);
  await page.close();
}

/**
 * Public and group messages on the demo page: a public one pushed live is shown marked public; while
 * the page is cut off, two stored public messages, a private one and a group push to a group holding
 * the key come back after the reconnect, once each, the key's (private and group) in mid order and the
 * public ones in pmid order; the client's last pmid and last mid are tracked apart.
 */
async function publicMessagesAreShownAndCaughtUp(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const key = `e2e-public-${Date.now()}`;
  await page.goto(`${base}/demo`);
  await page.fill("#key", key);
  await page.click("#subscribe");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("subscribed on"), null, WAIT);

  await pushPublic({ everyone: 0 }, 0);
  await page.waitForFunction(() => document.querySelectorAll("#messages li").length === 1, null, WAIT);
  const live = await shown(page);
  assert.deepEqual(live.map((m) => [m.msg, m.kind]), [[{ everyone: 0 }, "public"]]);
  step("a public message pushed live is shown, marked public");

  await page.route(isLookup, (route) => route.abort("connectionrefused"));
  await page.evaluate(() => window.demo.client._socket.send("not a heartbeat"));
  await page.waitForFunction(() => !window.demo.client.connected, null, WAIT);
  await pushPublic({ everyone: 1 }, 600);
  await push(key, { mine: 1 }, 600);
  await admin(`/1/admin/group/add?g=team-${key}&k=${encodeURIComponent(key)}`, "");
  await admin(`/1/admin/push/group?g=team-${key}&expire=600`, JSON.stringify({ team: 1 }));
  await pushPublic({ everyone: 2 }, 600);
  await pushPublic({ everyone: "gone" }, 0);
  await page.unroute(isLookup);
  await page.waitForFunction(() => document.querySelectorAll("#messages li").length >= 5, null, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  const all = await shown(page);
  assert.deepEqual(all.map((m) => [m.msg, m.kind]), [[{ everyone: 0 }, "public"], [{ mine: 1 }, "private"],
    [{ team: 1 }, "private"], [{ everyone: 1 }, "public"], [{ everyone: 2 }, "public"]],
    "the key's own and its group's messages first, in mid order, then the public ones, each once");
  const pmids = all.filter((m) => m.kind === "public").map((m) => m.mid);
  assert.ok(pmids.every((pmid, i) => i === 0 || pmid > pmids[i - 1]), `pmids increase: ${pmids}`);
  assert.ok(all[2].mid > all[1].mid, "the group message follows the private one in the key's mid order");
  const tracked = await page.evaluate(() => [window.demo.client.lastMid, window.demo.client.lastPmid]);
  assert.deepEqual(tracked, [all[2].mid, pmids[2]]);
  assert.deepEqual(pageErrors, []);
  step(`after the reconnect the page caught up its group's message and the stored public ones once each (${pmids.join(", ")})`);
  await page.evaluate(() => window.demo.client.stop());
  await page.close();
}

/**
 * Eight pushers send 160 messages to one key at once, half of them stored, over several HTTP
 * connections: the page shows each exactly once, in increasing mid order.
 */
async function concurrentPushesAreShownOnceInMidOrder(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  await page.goto(`${base}/demo`);
  const key = `e2e-concurrent-${Date.now()}`;
  await page.evaluate((key) => {
    window.received = [];
    window.concurrent = new PushClient({ key, onMessage: (msg, mid) => window.received.push({ msg, mid }) }).start();
  }, key);
  await page.waitForFunction(() => window.concurrent.connected, null, WAIT);
  const pushers = 8;
  const each = 20;
  await Promise.all(Array.from({ length: pushers }, async (_, p) => {
    for (let i = 0; i < each; i++) {
      await push(key, { p, i }, (p + i) % 2 === 0 ? 0 : 600);
    }
  }));
  await page.waitForFunction((count) => window.received.length >= count, pushers * each, WAIT);
  const received = await page.evaluate(() => window.received);
  assert.equal(received.length, pushers * each, "each message once");
  const ids = new Set(received.map(({ msg }) => `${msg.p}.${msg.i}`));
  assert.equal(ids.size, pushers * each, "no message twice, none missing");
  assert.ok(received.every(({ mid }, i) => i === 0 || mid > received[i - 1].mid), "mids increase");
  await page.evaluate(() => window.concurrent.stop());
  assert.deepEqual(pageErrors, []);
  step(`${pushers} pushers sent ${pushers * each} messages to one key at once: each shown once, in mid order`);
  await page.close();
}

/**
 * A page of another origin loads push.js from the server: the client finds the server from its
 * script's address, looks it up over JSONP, and receives a push. A heartbeat the server refuses (-p)
 * is reported once and not retried at once.
 */
async function pageOfAnotherOriginUsesJsonp(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const lookups = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/1/server/get") lookups.push(request.url());
  });
  // The other origin is a real server on loopback too: Chromium lets no page from elsewhere reach a
  // loopback address (Local Network Access).
  const app = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html;charset=utf-8" });
    response.end(`<!DOCTYPE html><title>another origin</title><script src="${base}/push.js"></script>`);
  });
  await new Promise((resolve) => app.listen(0, "127.0.0.1", resolve));
  try {
    await page.goto(`http://127.0.0.1:${app.address().port}/`);
  } finally {
    app.close();
  }

  const key = `e2e-jsonp-${Date.now()}`;
  await page.evaluate((key) => {
    window.received = [];
    window.client = new PushClient({ key, onMessage: (msg, mid) => window.received.push({ msg, mid }) }).start();
  }, key);
  await page.waitForFunction(() => window.client.connected, null, WAIT);
  await push(key, { cross: "origin" }, 0);
  await page.waitForFunction(() => window.received.length === 1, null, WAIT);
  assert.deepEqual(await page.evaluate(() => window.received[0].msg), { cross: "origin" });
  assert.ok(lookups.length > 0 && lookups.every((url) => new URL(url).searchParams.has("cb")), `JSONP lookups: ${lookups}`);
  step("a page of another origin subscribed over JSONP lookups and received a push");

  await page.evaluate(() => {
    window.errors = [];
    window.refused = new PushClient({
      key: "too-fast", heartbeat: 1, minDelay: 100, maxDelay: 4000,
      onError: (error) => window.errors.push(error.code),
    }).start();
  });
  await page.waitForFunction(() => window.errors.length > 0, null, WAIT);
  await page.waitForTimeout(1800);
  assert.deepEqual(await page.evaluate(() => window.errors), ["bad-parameter"]);
  await page.evaluate(() => window.refused.stop());
  assert.deepEqual(pageErrors, []);
  step("a refused heartbeat (-p) is reported once, without a fast retry");
  await page.close();
}

/**
 * A kicked or banned client is told so and stops: onError reports "kicked" or "banned", the socket
 * closes with the server's code (4409, 4403), and the client neither reconnects nor looks the node up
 * again; a client whose key is banned when it subscribes stops after its first refusal.
 */
async function kickedAndBannedClientsStop(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  let lookups = 0;
  page.on("request", (request) => {
    if (isLookup(new URL(request.url()))) lookups++;
  });
  await page.goto(`${base}/demo`);
  const key = `e2e-kick-${Date.now()}`;
  const start = (key) => page.evaluate((key) => {
    window.errors = [];
    window.closes = [];
    window.client = new PushClient({
      key, minDelay: 100, maxDelay: 400,
      onError: (error) => window.errors.push(error.code),
      onClose: (event) => window.closes.push(event.code),
    }).start();
  }, key);

  for (const [action, code, close] of [["kick", "kicked", 4409], ["ban", "banned", 4403]]) {
    await start(`${key}-${action}`);
    await page.waitForFunction(() => window.client.connected, null, WAIT);
    await admin(`/1/admin/${action}?key=${encodeURIComponent(`${key}-${action}`)}${action === "ban" ? "&seconds=600" : ""}`, "");
    await page.waitForFunction(() => window.errors.length > 0 && !window.client.connected, null, WAIT);
    const before = lookups;
    await page.waitForTimeout(1500);
    assert.deepEqual(await page.evaluate(() => window.errors), [code]);
    assert.deepEqual(await page.evaluate(() => window.closes), [close]);
    assert.equal(lookups, before, `no lookup after being ${code}`);
    assert.equal(await page.evaluate(() => window.client.connected), false);
    step(`a ${code} client reports "${code}", sees close code ${close}, and does not reconnect`);
  }

  const lookupsBefore = lookups;
  await start(`${key}-ban`);
  await page.waitForFunction(() => window.errors.length > 0, null, WAIT);
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.errors), ["banned"]);
  assert.equal(lookups - lookupsBefore, 1, "one lookup, one refused subscribe, no retry");
  await admin(`/1/admin/unban?key=${encodeURIComponent(`${key}-ban`)}`, "");
  await start(`${key}-ban`);
  await page.waitForFunction(() => window.client.connected, null, WAIT);
  await page.evaluate(() => window.client.stop());
  assert.deepEqual(pageErrors, []);
  step("a banned key's subscribe is reported once as \"banned\" without a retry; unbanned, it subscribes");
  await page.close();
}

/**
 * Over TLS (E2E_ONLY=wss, against a server whose WebSocket listener speaks TLS): the demo page, served
 * over plain HTTP, looks the key up, learns the listener speaks TLS, subscribes with wss: and shows a
 * push.
 */
async function demoPageSubscribesOverWss(context) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const sockets = [];
  page.on("websocket", (socket) => sockets.push(socket.url()));
  const key = `e2e-wss-${Date.now()}`;
  await page.goto(`${base}/demo`);
  await page.fill("#key", key);
  await page.click("#subscribe");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("subscribed on"), null, WAIT);
  assert.ok(sockets.length === 1 && sockets[0].startsWith("wss://"), `the socket is wss: ${sockets}`);
  await push(key, { over: "wss" }, 0);
  await page.waitForFunction(() => document.querySelectorAll("#messages li").length === 1, null, WAIT);
  assert.deepEqual((await shown(page)).map((m) => m.msg), [{ over: "wss" }]);
  assert.deepEqual(pageErrors, []);
  step(`the demo page subscribed over ${sockets[0].split("/sub")[0]} and showed a push`);
  await page.close();
}

await withChromium("e2e", {
  // the TLS run's certificate is one the test made: trusted by nobody
  args: process.env.E2E_IGNORE_CERTIFICATE_ERRORS ? ["--ignore-certificate-errors"] : [],
}, async (context) => {
  if (process.env.E2E_ONLY === "wss") {
    await demoPageSubscribesOverWss(context);
  } else {
    await demoPageRecoversWhatWasMissed(context);
    await publicMessagesAreShownAndCaughtUp(context);
    await concurrentPushesAreShownOnceInMidOrder(context);
    await pageOfAnotherOriginUsesJsonp(context);
    await kickedAndBannedClientsStop(context);
  }
});
