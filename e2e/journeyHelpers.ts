import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

/** Screenshots of every journey land here (CI keeps them as artifacts). */
export const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

/** Loads the qwen2 fixture from the Models screen unless an earlier journey already did (one bridge serves them all). */
export async function ensureFixtureModelLoaded(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
  const row = page.getByTestId('model-row').filter({ hasText: 'tiny-qwen2-chat.gguf' });
  await expect(row).toBeVisible({ timeout: 90_000 }); // the first models.list reads every GGUF header (slow on a loaded CI box)
  await expect(row).toContainText(process.env.HEARTH_E2E_EXPECT_ARCH ?? 'qwen2');
  const load = row.getByRole('button', { name: /^Load / });
  if (await load.isVisible()) await load.click();
  await expect(row.getByRole('button', { name: /^Loaded / })).toBeDisabled();
  await expect(page.getByTestId('loaded-model')).toContainText(process.env.HEARTH_E2E_EXPECT_ARCH ?? 'qwen2');
}
