import path from 'node:path';
import { expect, test } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

test('define a schema, see a compile error with its pointer, then extract valid JSON', async ({ page }) => {
  await page.goto(process.env.HEARTH_E2E_URL!);
  await ensureFixtureModelLoaded(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Extraction', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Extraction', exact: true })).toBeVisible();
  const status = page.getByTestId('compile-status');
  await expect(status).toContainText('Compiles');

  // an unsatisfiable schema: the error names the keyword and its JSON pointer
  const editor = page.getByLabel('JSON Schema');
  await editor.fill('{"type":"object","properties":{"n":{"type":"integer","minimum":9,"maximum":2}},"required":["n"]}');
  await expect(status).toContainText('/properties/n');
  await expect(page.getByRole('button', { name: 'Extract', exact: true })).toBeDisabled();
  await page.screenshot({ path: path.join(artifacts, 'extraction-compile-error.png'), fullPage: true });

  // back to the invoice template, then extract
  await page.getByLabel('Template').selectOption('person');
  await page.getByLabel('Template').selectOption('invoice');
  await expect(status).toContainText('Compiles');
  await page.getByRole('button', { name: 'Extract', exact: true }).click();
  const result = page.getByTestId('extraction-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  await expect(result).toContainText('Enforced by grammar');
  const value = JSON.parse((await result.locator('pre').textContent()) ?? 'null') as Record<string, unknown>;
  expect(Object.keys(value)).toEqual(expect.arrayContaining(['invoiceNumber', 'issueDate', 'currency', 'total']));
  expect(value.invoiceNumber).toMatch(/^[A-Z]{2,4}-\d{3,8}$/);
  expect(['EUR', 'USD', 'GBP']).toContain(value.currency);
  expect(Number.isInteger(value.total)).toBe(true);
  await page.screenshot({ path: path.join(artifacts, 'extraction-result.png'), fullPage: true });
});
