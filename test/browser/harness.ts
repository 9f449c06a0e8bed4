// Browser tests: the real server process (as `npm start` runs it) on a random loopback port with
// a temporary DATA_DIR, and Debian's Chromium driven by playwright-core. No silent skip: a
// missing Chromium or an unbuilt web app fails the run with a message saying what to do.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort, startServer, stopServer } from '../helpers/server';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
export const PASSWORD = 'saraban-demo';

type PageOptions = { viewport?: { width: number; height: number }; isMobile?: boolean };

export interface Harness {
  baseUrl: string;
  /** The server's DATA_DIR; its database is saraban.sqlite there. */
  dataDir: string;
  browser: Browser;
  newPage: (options?: PageOptions) => Promise<{ context: BrowserContext; page: Page }>;
  /** Runs fn in a fresh browser context; fails on requests to other hosts and on errors in the page. */
  withPage: (fn: (page: Page) => Promise<void>, options?: PageOptions) => Promise<void>;
  close: () => Promise<void>;
}

export async function startHarness(extraEnv: Record<string, string> = {}): Promise<Harness> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium was not found at ${CHROMIUM}. Install Debian's chromium (apt-get install -y chromium; npm test does this through scripts/ensure-test-deps.sh) or set CHROMIUM_PATH.`);
  }
  if (!fs.existsSync(path.join(ROOT, 'client', 'dist', 'index.html'))) {
    throw new Error('The web app is not built (client/dist/index.html is missing): run `npm run build:client` (npm install does it).');
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'saraban-browser-'));
  const port = await freePort();
  // setup.ts points DATABASE_URL at the suite's database: this server gets its own SQLite file ('' is none).
  const { child: server } = await startServer({ DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}`, ...extraEnv, DATABASE_URL: '' }, port);
  let browser: Browser;
  try {
    // playwright-core gives every launch a fresh, empty user-data-dir of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    await stopServer(server);
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const newPage = async (options: PageOptions = {}) => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'th-TH', timezoneId: 'Asia/Bangkok', viewport: options.viewport ?? { width: 1366, height: 860 }, isMobile: options.isMobile, hasTouch: options.isMobile });
    const page = await context.newPage();
    // Waits, not timing assertions: generous, because CI runs on shared hosts whose speed swings.
    page.setDefaultTimeout(30000);
    return { context, page };
  };
  return {
    baseUrl,
    dataDir,
    browser,
    newPage,
    withPage: async (fn, options) => {
      const { context, page } = await newPage(options);
      // Everything comes from our own server: no CDN font, script or style (a closed network must work).
      const foreign: string[] = [];
      context.on('request', (r) => {
        const url = r.url();
        // chrome: and chrome-extension: are the browser's own PDF viewer (a previewed attachment), not a host.
        if (!url.startsWith(baseUrl) && !/^(data|blob|chrome|chrome-extension):/.test(url)) foreign.push(url);
      });
      // Uncaught exceptions and console errors fail the test; a refused request (401, 404) the
      // test provokes is logged by the browser as "Failed to load resource" and is expected.
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
      });
      try {
        await fn(page);
      } catch (err) {
        // What the page showed when the test failed: the first thing to look at in a red run.
        const file = path.join(SCREENSHOTS, `failed-${Date.now()}.png`);
        await page.screenshot({ path: file, fullPage: true }).then(() => console.error(`[browser] failure screenshot: ${file}`), () => undefined);
        throw err;
      } finally {
        await context.close();
      }
      expect(foreign, 'requests to other hosts').to.deep.equal([]);
      expect(errors, 'errors in the page').to.deep.equal([]);
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await stopServer(server);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/ชื่อผู้ใช้|Username/).fill(username);
  await page.getByLabel(/รหัสผ่าน|Password/).fill(password);
  await page.getByRole('button', { name: /เข้าสู่ระบบ|Sign in/ }).click();
  await page.locator('main h2').first().waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** The error text tied to an input through aria-describedby (what a screen reader reads). */
export async function fieldMessage(input: Locator): Promise<string> {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  return texts.filter(Boolean).join(' ').trim();
}
