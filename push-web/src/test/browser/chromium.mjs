// What the browser scripts (e2e.mjs, dashboard.mjs) share: the server's base URL from the command
// line, a deadline for the whole script, and Debian's headless Chromium (CHROMIUM names another) in
// a profile of its own, removed afterwards.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const WAIT = { timeout: 30_000 };

/** The base URL given as the script's argument; exits 2 without it. Gives up after `seconds`. */
export function baseUrl(script, seconds) {
  const base = process.argv[2];
  if (!base) {
    console.error(`usage: node ${script} BASE_URL`);
    process.exit(2);
  }
  setTimeout(() => {
    console.error(`${script}: gave up after ${seconds} s`);
    process.exit(3);
  }, seconds * 1000).unref();
  return base;
}

/**
 * Runs `checks(context)` in a fresh Chromium profile, then closes the browser and removes the profile;
 * a failed check sets the exit code 1.
 */
export async function withChromium(name, options, checks) {
  const userDataDir = mkdtempSync(join(tmpdir(), `push-${name}-chromium-`));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      ...options,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", ...(options.args || [])],
    });
    await checks(context);
    console.log(`${name}: every check passed`);
  } catch (error) {
    console.error("not ok -", error);
    process.exitCode = 1;
  } finally {
    if (context) await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
