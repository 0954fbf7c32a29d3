import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

test('build a schema field by field, see a field problem, extract, check each field and export JSON/CSV', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(process.env.HEARTH_E2E_URL!);
  await ensureFixtureModelLoaded(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Extraction', exact: true }).click();
  await page.getByRole('tab', { name: 'Builder' }).click();
  const status = page.getByTestId('compile-status');
  const schema = page.getByTestId('generated-schema');
  await expect(schema).toContainText('"orderId"');
  await expect(status).toContainText('Compiles');

  // a field problem is marked on the field and blocks the run
  await page.getByLabel('Minimum of quantity').fill('5000');
  await expect(page.getByTestId('builder-field').filter({ hasText: 'Min (5000) is above max (1000)' })).toBeVisible();
  await expect(status).toContainText('Fix the marked field first');
  await expect(page.getByRole('button', { name: 'Extract', exact: true })).toBeDisabled();
  await page.getByLabel('Minimum of quantity').fill('1');

  // add a field: it appears in the generated schema, which still compiles
  await page.getByRole('button', { name: '+ Add field' }).click();
  await page.getByLabel('Field name (empty)').fill('city');
  await page.getByLabel('city is required').uncheck();
  await page.getByLabel('Max length of city').fill('40');
  await expect(schema).toContainText('"city": {');
  await expect(schema).toContainText('"maxLength": 40');
  await expect(status).toContainText('Compiles');

  await page.getByRole('button', { name: 'Use sample text' }).click();
  await page.getByRole('button', { name: 'Extract', exact: true }).click();
  const result = page.getByTestId('extraction-result');
  await expect(result).toBeVisible({ timeout: 150_000 });
  const value = JSON.parse((await result.locator('pre').textContent()) ?? 'null') as Record<string, unknown>;
  expect(value.orderId).toMatch(/^[A-Z]{2}-\d{4}$/);
  expect(['open', 'shipped', 'cancelled']).toContain(value.status);
  const checks = page.getByTestId('field-checks');
  for (const field of ['company', 'orderId', 'orderDate', 'status', 'quantity']) {
    await expect(checks.getByRole('row').filter({ hasText: field }).getByRole('cell', { name: 'ok' })).toBeVisible();
  }

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(JSON.parse(await fs.readFile((await json.path())!, 'utf8'))).toEqual(value);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const [header] = (await fs.readFile((await csv.path())!, 'utf8')).split('\r\n');
  expect(header!.split(',').slice(0, 2)).toEqual(['company', 'orderId']);

  await page.setViewportSize({ width: 1280, height: 1900 });
  await page.locator('main').evaluate((el) => el.scrollTo(0, 0)); // the content pane scrolls, not the page
  await page.screenshot({ path: path.join(artifacts, 'extraction-builder.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});
