import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { artifacts } from './journeyHelpers.js';
import { startSlowFileServer } from './modelsHelpers.js';

/** A real tiny llama GGUF (1.1 MB), served from a loopback server started by this test. */
const SOURCE = '/work/shared/data/models/stories260K.gguf';
const FILE_NAME = 'e2e-stories260K.gguf';

let server: Awaited<ReturnType<typeof startSlowFileServer>>;
test.beforeAll(async () => {
  server = await startSlowFileServer(SOURCE, { chunkBytes: 16 * 1024, intervalMs: 60 });
});
test.afterAll(async () => {
  await server.close();
});

async function fillUrlForm(page: Page): Promise<void> {
  await page.getByLabel('File URL').fill(server.url('files/stories260K.gguf'));
  await page.getByLabel('Expected sha256 (optional for Hugging Face)').fill(server.sha256);
  await page.getByLabel('Save as').fill(FILE_NAME);
}

test('download a model by URL: blocked until the host is approved, then progress, cancel, resume, installed', async ({ page }) => {
  test.setTimeout(300_000); // the model list reads every fixture GGUF header; slow on a busy 2-core runner
  await page.goto(process.env.HEARTH_E2E_URL!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();

  // the manifest's recommendations, with what each is for and whether it fits this machine
  const recommended = page.getByTestId('manifest-row');
  await expect(recommended.first()).toBeVisible({ timeout: 90_000 });
  await expect(recommended.filter({ hasText: 'Qwen2.5 0.5B Instruct' })).toContainText('Apache-2.0');
  await expect(recommended.filter({ hasText: 'Qwen2.5 0.5B Instruct' })).toContainText(/Fits: needs|Tight: needs|Needs ~2 GB; this machine/, { timeout: 90_000 });

  // 1. not an approved host: a typed error that names the host and the way forward
  await fillUrlForm(page);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  const blocked = page.getByTestId('download-blocked');
  await expect(blocked).toContainText(`${server.host} is not an approved download host`);
  await expect(page.locator('[data-error-code="NETWORK_BLOCKED"]')).toBeVisible();
  await blocked.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'models-download-blocked.png'), fullPage: true });

  // 2. approve the host in Settings (loopback stays reachable in offline mode, so offline can stay on)
  await blocked.getByRole('link', { name: 'Open Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Offline mode' })).toBeChecked();
  await page.getByLabel('Host or URL to approve').fill(server.url('files/stories260K.gguf'));
  await page.getByRole('button', { name: 'Approve host' }).click();
  await expect(page.getByRole('list', { name: 'Approved hosts' })).toContainText(server.host);

  // 3. download with live progress, cancel part-way, then continue from the partial file
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await fillUrlForm(page);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  const progress = page.getByTestId('download-progress').first();
  await expect(progress).toContainText(/ of 1\.1 MiB · .*\/s/);
  await page.getByRole('button', { name: 'Cancel download' }).click();
  const partial = page.getByTestId('partial-download').filter({ hasText: FILE_NAME });
  await expect(partial).toContainText(/downloaded · 127\.0\.0\.1/);
  await partial.getByRole('button', { name: `Continue ${FILE_NAME}` }).click();
  await expect(page.getByTestId('download-done')).toContainText(`Installed ${FILE_NAME}`, { timeout: 60_000 });
  expect(server.ranges.length).toBeGreaterThan(0); // the second request asked for the rest only

  // 4. installed: listed with its architecture read from the GGUF header
  const row = page.getByTestId('model-row').filter({ hasText: FILE_NAME });
  await expect(row).toContainText('llama', { timeout: 90_000 });
  await expect(page.getByTestId('partial-download')).toHaveCount(0);
  await page.setViewportSize({ width: 1280, height: 2200 }); // the content pane scrolls, so fullPage alone shows one screen
  await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: path.join(artifacts, 'models-downloaded.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // leave the app as other journeys expect it: remove the approval, offline mode still on
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: `Remove ${server.host}` }).click();
  await expect(page.getByRole('list', { name: 'Approved hosts' })).not.toContainText(server.host);
  await expect(page.getByRole('switch', { name: 'Offline mode' })).toBeChecked();
});
