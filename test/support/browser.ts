import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's chromium (scripts/install-deps.sh installs it). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Loads a page in headless Chromium (its own profile, no sandbox: the tests run as root) and lets its
 * scripts run for `budgetMs` of virtual time. `dumpDom` resolves the DOM as rendered; `screenshot` writes
 * a PNG of a 1280x800 window to the given file.
 */
export function headlessChromium(
  url: string,
  what: { dumpDom: true } | { screenshot: string },
  budgetMs = 15_000,
): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'krts-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--window-size=1280,800',
    `--virtual-time-budget=${budgetMs}`,
    ...('dumpDom' in what ? ['--dump-dom'] : [`--screenshot=${what.screenshot}`]),
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(chromiumPath, args, { timeout: 180_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium ${url} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
