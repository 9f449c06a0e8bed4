// A warm, bounded pool of Chromium pages that turn letter HTML into PDF. Chromium runs in its own
// processes: the server only sends HTML over the DevTools pipe and receives the PDF, so a render
// never holds the event loop. One browser, a few pages kept open between renders (LETTER_RENDER_PAGES),
// and a bounded queue (LETTER_RENDER_QUEUE): past it the server answers 503 busy at once rather than
// piling up work it cannot finish. A missing Chromium does not stop the server: renders answer 503
// with one line saying what to install.
import fs from 'node:fs';
import os from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AppError } from '../../lib/errors';

/** Flags from the machine notes: headless, no sandbox (containers), nothing that calls home. */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The only origin a letter page may load from; everything else is refused (no network at all). */
export const LETTER_ORIGIN = 'http://letter.invalid';

export interface PdfOptions {
  headerTemplate?: string;
  footerTemplate?: string;
}

/** What a page serves besides the letter itself: fonts and images, by path under LETTER_ORIGIN. */
export type AssetLookup = (pathname: string) => { body: Buffer; contentType: string } | undefined;

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const INSTALL_HINT = 'install Debian\'s chromium and the letter font (apt-get install -y chromium fonts-tlwg-laksaman-ttf), or set CHROMIUM_PATH to a Chromium of your own';

export function rendererUnavailable(reason: string): AppError {
  return new AppError(503, 'renderer_unavailable', `Letters cannot be rendered: ${reason}; ${INSTALL_HINT}.`, undefined, { 'Retry-After': '60' });
}

const intEnv = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

interface Waiter {
  resolve: (page: Page) => void;
  reject: (err: Error) => void;
}

export class ChromiumPool {
  private browser: Promise<Browser> | null = null;
  private context: BrowserContext | null = null;
  private readonly idle: Page[] = [];
  private open = 0;
  private readonly waiting: Waiter[] = [];
  private warnedMissing = false;
  private assets: AssetLookup = () => undefined;
  private readonly html = new Map<Page, string>();

  constructor(
    readonly size = intEnv('LETTER_RENDER_PAGES', Math.max(1, Math.min(4, os.availableParallelism()))),
    readonly queueLimit = intEnv('LETTER_RENDER_QUEUE', 32),
    readonly timeoutMs = intEnv('LETTER_RENDER_TIMEOUT_MS', 30_000),
  ) {}

  /** Fonts and images the letter pages may load (set once by the renderer). */
  serveAssets(lookup: AssetLookup): void {
    this.assets = lookup;
  }

  /** How many renders are running and waiting: for the benchmark and tests. */
  get load() {
    return { running: this.open - this.idle.length, waiting: this.waiting.length, pages: this.open };
  }

  /** Renders one HTML document to PDF bytes in a warm page. */
  async pdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
    const page = await this.acquire();
    let healthy = false;
    try {
      this.html.set(page, html);
      await page.goto(`${LETTER_ORIGIN}/letter`, { waitUntil: 'load', timeout: this.timeoutMs });
      const pdf = await page.pdf({
        preferCSSPageSize: true, printBackground: true,
        displayHeaderFooter: Boolean(options.headerTemplate || options.footerTemplate),
        // Chromium prints its own date and title when a template is missing: an empty one says "nothing".
        headerTemplate: options.headerTemplate ?? '<span></span>', footerTemplate: options.footerTemplate ?? '<span></span>',
      });
      healthy = true;
      return pdf;
    } finally {
      this.html.delete(page);
      this.release(page, healthy);
    }
  }

  /** Launches Chromium now (the server warms it at start; tests and the benchmark too). */
  async warm(): Promise<void> {
    const page = await this.acquire();
    this.release(page, true);
  }

  /** Stops Chromium; a later render starts it again. */
  async close(): Promise<void> {
    for (const w of this.waiting.splice(0)) w.reject(rendererUnavailable('the renderer is shutting down'));
    const browser = this.browser;
    this.browser = null;
    this.context = null;
    this.idle.length = 0;
    this.open = 0;
    if (browser) await browser.then((b) => b.close(), () => undefined);
  }

  private async acquire(): Promise<Page> {
    const page = this.idle.pop();
    if (page) return page;
    if (this.open < this.size) {
      this.open++;
      try {
        return await this.newPage();
      } catch (err) {
        this.open--;
        throw err;
      }
    }
    if (this.waiting.length >= this.queueLimit) {
      throw new AppError(503, 'busy', `The letter renderer is busy (${this.waiting.length} letters waiting); try again in a few seconds.`, undefined, { 'Retry-After': '5' });
    }
    return new Promise<Page>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(page: Page, healthy: boolean): void {
    if (!healthy) {
      // A page that failed (timeout, crash) is not trusted again: a fresh one takes its place.
      this.open--;
      void page.close().catch(() => undefined);
      const next = this.waiting.shift();
      if (next) {
        this.open++;
        this.newPage().then(next.resolve, (err: Error) => {
          this.open--;
          next.reject(err);
        });
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(page);
    else this.idle.push(page);
  }

  private async newPage(): Promise<Page> {
    const context = await this.ensureContext();
    const page = await context.newPage();
    page.setDefaultTimeout(this.timeoutMs);
    // The page reaches nothing but the letter and its assets: no network, no file system.
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== LETTER_ORIGIN) return route.abort('blockedbyclient');
      if (url.pathname === '/letter') return route.fulfill({ body: this.html.get(page) ?? '', contentType: 'text/html; charset=utf-8' });
      const asset = this.assets(url.pathname);
      return asset ? route.fulfill({ body: asset.body, contentType: asset.contentType }) : route.fulfill({ status: 404, body: '' });
    });
    return page;
  }

  private async ensureContext(): Promise<BrowserContext> {
    if (this.context && this.browser) return this.context;
    const executablePath = chromiumPath();
    if (!fs.existsSync(executablePath)) {
      if (!this.warnedMissing) console.warn(`[saraban] letters: no Chromium at ${executablePath}: rendering answers 503 until you ${INSTALL_HINT}.`);
      this.warnedMissing = true;
      throw rendererUnavailable(`no Chromium at ${executablePath}`);
    }
    if (!this.browser) {
      this.browser = (async () => {
        const { chromium } = await import('playwright-core');
        // launch() gives Chromium a fresh temporary profile (user-data-dir) each start and removes it
        // after: nothing is carried over between runs or processes.
        const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: this.timeoutMs });
        browser.on('disconnected', () => {
          // Chromium died: the next render starts another.
          this.browser = null;
          this.context = null;
          this.idle.length = 0;
          this.open = 0;
        });
        return browser;
      })();
      this.browser.catch(() => (this.browser = null));
    }
    let browser: Browser;
    try {
      browser = await this.browser;
    } catch (err) {
      throw rendererUnavailable(`Chromium at ${executablePath} did not start (${(err as Error).message.split('\n')[0]})`);
    }
    this.context ??= await browser.newContext({ javaScriptEnabled: false, offline: false });
    return this.context;
  }
}

let shared: ChromiumPool | null = null;
/** The process's one pool. */
export function letterPool(): ChromiumPool {
  return (shared ??= new ChromiumPool());
}
