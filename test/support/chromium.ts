/**
 * Headless Chromium through playwright-core, as the house runs it (docs/toolchain.md): Debian's binary, never a
 * downloaded one, with the flags that keep it off this machine's closed network. Each launch has a fresh, empty
 * profile: playwright-core makes one in a temporary folder and removes it on close (it refuses `--user-data-dir`).
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)) ?? null;

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedChromium {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedChromium> {
  const browser = await chromium.launch({ executablePath, args: FLAGS, timeout: 60_000 });
  return { browser, close: () => browser.close() };
}

export interface Widths {
  readonly viewport: number;
  readonly documentScrollWidth: number;
  readonly bodyScrollWidth: number;
}

/** How wide a mail's HTML lays out in a viewport `width` px wide: wider than the viewport means sideways scrolling. */
export async function measureWidths(browser: Browser, html: string, width: number): Promise<Widths> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  try {
    // No network: a mail that needed any would show it here as missing pieces, and offline is what the test wants.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
    // A string, evaluated in the page: the project's TypeScript has no DOM types, and needs none elsewhere.
    return (await page.evaluate(
      '({ viewport: window.innerWidth, documentScrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth })',
    )) as Widths;
  } finally {
    await page.close();
  }
}
