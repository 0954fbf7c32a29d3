import path from 'node:path';
import { expect, test } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

test('load the fixture chat model and stream a completion from the UI', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(process.env.HEARTH_E2E_URL!);
  // the token moved from the fragment into session storage and out of the address bar
  await expect(page).not.toHaveURL(/token=/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  // scoped to the sidebar: the opening screen may have its own "Documents" button (e.g. chat's source toggle)
  for (const name of ['Documents', 'Chat', 'Extraction', 'Eval', 'Costs', 'Models', 'Settings']) {
    await expect(nav.getByRole('button', { name, exact: true })).toBeVisible();
  }

  await ensureFixtureModelLoaded(page);
  await page.screenshot({ path: path.join(artifacts, 'models-loaded.png'), fullPage: true });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat', exact: true }).click();
  await page.getByLabel('Max tokens').fill('24');
  await page.getByLabel('Message').fill('Say hello to Hearth.');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByTestId('assistant-text').last();
  // the turn ends with its statistics...
  await expect(page.getByTestId('turn-meta').last()).toContainText(/\d+ tokens · [\d.]+ tok\/s/);
  await expect(answer).toHaveAttribute('aria-busy', 'false');
  const text = (await answer.textContent()) ?? '';
  expect(text.length).toBeGreaterThan(0);
  // ...and its text arrived as many streamed token events over the bridge's event stream, not in one piece
  expect(Number(await answer.getAttribute('data-chunks'))).toBeGreaterThan(3);
  await page.screenshot({ path: path.join(artifacts, 'chat-streamed.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('a page without the token gets a readable error, not data', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(process.env.HEARTH_E2E_ORIGIN! + '/#/models');
  await expect(page.getByRole('alert').first()).toContainText(/token/i);
  await page.screenshot({ path: path.join(artifacts, 'no-token.png') });
  await context.close();
});
