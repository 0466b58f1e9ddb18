/**
 * `npm run screenshots`: the README's pictures of the digest, from the sample requests (test/support/digest-samples.ts)
 * at a fixed time, so that a change of layout shows as a change of picture. Needs /usr/bin/chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { sampleMails } from '../support/digest-samples.js';

const OUT = join(import.meta.dirname, 'screenshots');

if (CHROMIUM === null) {
  console.error("npm run screenshots: no chromium here (install Debian's package: apt-get install chromium)");
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const chromium = await launchChromium(CHROMIUM);
try {
  const shots = [
    { locale: 'en', width: 360 },
    { locale: 'en', width: 1280 },
    { locale: 'ja', width: 360 },
  ] as const;
  for (const { locale, width } of shots) {
    const [owner] = sampleMails(locale, 1, false);
    if (!owner) throw new Error('the sample has no owner digest');
    const page = await chromium.browser.newPage({ viewport: { width, height: 900 } });
    await page.setContent(owner.html, { waitUntil: 'load' });
    const path = join(OUT, `digest-${locale}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    await page.close();
    console.log(`written ${path}`);
  }
} finally {
  await chromium.close();
}
