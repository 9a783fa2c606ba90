// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core for the browser tests.
// Every page records console errors, CSP violations, page errors and dialogs, so tests can
// assert that nothing unexpected happened.
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic",
];

/** Waits (up to `timeoutMs`) for Chromium to be installed by scripts/ensure-system-deps.sh. */
export async function waitForChromium(timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!fs.existsSync(CHROMIUM_PATH)) {
    if (Date.now() > until) throw new Error(`${CHROMIUM_PATH} not found: run scripts/ensure-system-deps.sh`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Launches a fresh headless Chromium (playwright gives each launch its own temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  await waitForChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  label: string;
  consoleErrors: string[];
  cspViolations: string[];
  pageErrors: string[];
  dialogs: string[];
}

/** A new isolated browser context (own cookies and sessionStorage; options such as httpCredentials) with one watched page. */
export async function openPage(
  browser: Browser, label: string, viewport = { width: 1280, height: 720 }, contextOptions: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  const w: WatchedPage = { context, page, label, consoleErrors: [], cspViolations: [], pageErrors: [], dialogs: [] };
  page.on("console", (msg) => {
    const text = msg.text();
    if (/content security policy/i.test(text)) w.cspViolations.push(text);
    if (msg.type() === "error") w.consoleErrors.push(text);
  });
  page.on("pageerror", (err) => w.pageErrors.push(String(err)));
  page.on("dialog", (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return w;
}

/** Polls `fn` until it returns a truthy value (or throws the last reason after `timeoutMs`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
