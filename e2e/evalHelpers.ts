import { expect, type Page } from '@playwright/test';

/**
 * Same steps as `ensureFixtureModelLoaded` (journeyHelpers.ts), with patient timeouts: on a loaded 2-core machine
 * the Models screen's first scan (GGUF headers of every fixture, one of them 0.5 GB) took 14 s+ and the shared
 * helper's 30 s expect budget was not always enough.
 */
export async function loadFixtureModelPatiently(page: Page, timeout = 150_000): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Models', exact: true })).toBeVisible();
  const row = page.getByTestId('model-row').filter({ hasText: 'tiny-qwen2-chat.gguf' });
  await expect(row).toBeVisible({ timeout });
  await expect(row).toContainText(process.env.HEARTH_E2E_EXPECT_ARCH ?? 'qwen2');
  const load = row.getByRole('button', { name: /^Load / });
  if (await load.isVisible()) await load.click();
  await expect(row.getByRole('button', { name: /^Loaded / })).toBeDisabled({ timeout });
  await expect(page.getByTestId('loaded-model')).toContainText(process.env.HEARTH_E2E_EXPECT_ARCH ?? 'qwen2', { timeout });
}
