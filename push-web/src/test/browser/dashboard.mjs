// The operator's dashboard (/dashboard) in Debian's headless Chromium, driven by playwright-core.
// OperatorViewIT runs it against the first member of a three-member cluster:
//
//   node dashboard.mjs http://127.0.0.1:PORT
//
// It checks that the page shows the three members, that its charts move while a load runs (WebSocket
// subscribers opened by the page, pushes stored and not), that a key can be looked up, and saves a
// screenshot (DASHBOARD_SCREENSHOT). Then it writes the file DASHBOARD_KILL_MARKER, on which the test
// kills a member, and checks that the table loses that member. CHROMIUM names the browser.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { WAIT, baseUrl, withChromium } from "./chromium.mjs";

const base = baseUrl("dashboard.mjs", 170);

const step = (text) => console.log("ok - " + text);

async function json(path, init = {}) {
  const response = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
  const reply = await response.json();
  assert.equal(reply.ret, 0, `${path} answered ${JSON.stringify(reply)}`);
  return reply.data || {};
}

/** Keys the member the page is on owns, so that its subscribers stay there. */
async function ownKeys(count) {
  const candidates = Array.from({ length: 6 * count }, (_, i) => `d${Date.now().toString(36)}-${i}`);
  const cluster = await json("/1/admin/cluster?" + candidates.map((k) => "k=" + k).join("&"));
  const own = candidates.filter((k) => cluster.owners[k] === cluster.self).slice(0, count);
  assert.equal(own.length, count, "the member owns too few keys");
  return own;
}

/** Pushes to the keys in turn for a while, some stored: at most `count`, at most `seconds`. */
async function load(keys, count, seconds) {
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  const worker = async () => {
    while (sent < count && Date.now() < end) {
      const i = sent++;
      const expire = i % 4 === 0 ? 60 : 0;
      await json(`/1/admin/push/private?key=${keys[i % keys.length]}&expire=${expire}`,
        { method: "POST", body: JSON.stringify({ load: i }) });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return sent;
}

await withChromium("dashboard", { viewport: { width: 1280, height: 900 } }, async (context) => {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  await page.goto(base + "/dashboard");
  await page.waitForFunction(() => window.dashboard && window.dashboard.samples >= 2
    && document.querySelectorAll("#members tr").length === 3, null, WAIT);
  const members = await page.$$eval("#members tr", (rows) => rows.map((row) => row.dataset.member));
  assert.equal(new Set(members).size, 3, `three members: ${members}`);
  assert.ok(await page.$$eval("#members td.up", (cells) => cells.length === 3), "every member answers");
  step(`the page shows the three members ${members.join(", ")}`);

  const keys = await ownKeys(20);
  // subscribers opened by the page itself, on /sub of the member it is on
  await page.evaluate((keys) => {
    window.testSockets = keys.map((key) => new WebSocket(
      `${location.origin.replace("http", "ws")}/sub?key=${encodeURIComponent(key)}&heartbeat=60&ver=1`));
  }, keys);
  await page.waitForFunction(() => Math.max(...window.dashboard.series.connections[0]) >= 20, null, WAIT);
  step("the connections chart rose with 20 subscribers on /sub");
  const pushed = await load(keys, 4000, 8);
  await page.waitForFunction(() => Math.max(...window.dashboard.series.traffic[0]) > 10
    && Math.max(...window.dashboard.series.traffic[1]) > 10
    && Math.max(...window.dashboard.series.store[0]) > 0, null, WAIT);
  const peaks = await page.evaluate(() => ({
    pushes: Math.round(Math.max(...window.dashboard.series.traffic[0])),
    deliveries: Math.round(Math.max(...window.dashboard.series.traffic[1])),
    saveMs: Math.max(...window.dashboard.series.store[0]).toFixed(2),
  }));
  step(`the charts moved while ${pushed} pushes ran: peaks ${JSON.stringify(peaks)}`);

  await page.fill("#key", keys[0]);
  await page.click("#lookup button");
  await page.waitForSelector("#lookup-owner", WAIT);
  const owner = await page.textContent("#lookup-owner");
  const connections = Number(await page.textContent("#lookup-connections"));
  const stored = Number(await page.textContent("#lookup-stored"));
  assert.equal(owner, (await json("/1/admin/cluster")).self, "the key's owner is the member the page is on");
  assert.equal(connections, 1, "the key's one subscriber");
  assert.ok(stored >= 1, `the key's stored messages: ${stored}`);
  step(`the lookup of ${keys[0]}: owner ${owner}, ${connections} connection, ${stored} stored`);

  if (process.env.DASHBOARD_SCREENSHOT) {
    await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    step("screenshot saved to " + process.env.DASHBOARD_SCREENSHOT);
  }

  await page.evaluate(() => window.testSockets.forEach((socket) => socket.close()));
  writeFileSync(process.env.DASHBOARD_KILL_MARKER, "kill a member now\n");
  await page.waitForFunction(() => document.querySelectorAll("#members tr").length === 2, null, { timeout: 120_000 });
  const left = await page.$$eval("#members tr", (rows) => rows.map((row) => row.dataset.member));
  step(`the table lost the killed member: ${left.join(", ")} remain`);
  assert.deepEqual(pageErrors, []);
});
