/**
 * Renders the PWA's PNG icons from the SVG sources in static/icons/ with Debian's Chromium
 * (playwright-core). The PNGs are committed; run again after changing an SVG:
 *   node scripts/generate-icons.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const DIR = new URL('../static/icons/', import.meta.url);
const OUTPUTS = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192, transparent: true },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512, transparent: true },
  // iOS draws its own rounded corners and shows transparency as black: use the full-bleed art.
  { svg: 'icon-maskable.svg', png: 'apple-touch-icon.png', size: 180, transparent: false },
  { svg: 'icon-maskable.svg', png: 'maskable-192.png', size: 192, transparent: false },
  { svg: 'icon-maskable.svg', png: 'maskable-512.png', size: 512, transparent: false },
] as const;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  for (const { svg, png, size, transparent } of OUTPUTS) {
    const source = await readFile(new URL(svg, DIR), 'utf8');
    await page.setViewportSize({ width: size, height: size });
    const dataUrl = `data:image/svg+xml;base64,${Buffer.from(source).toString('base64')}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}img{display:block;width:${size}px;height:${size}px}</style><img src="${dataUrl}">`,
    );
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const bytes = await page.screenshot({ omitBackground: transparent, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(new URL(png, DIR), bytes);
    console.log(`${png}: ${bytes.length} bytes`);
  }
} finally {
  await browser.close();
}
