import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

async function sendInModelChat(page: Page, message: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat', exact: true }).click();
  // the Chat screen's source switch ("Model only"): a toggle button or a radio, depending on its version
  await page.getByRole('button', { name: 'Model only' }).or(page.getByRole('radio', { name: 'Model only' })).first().click();
  await page.getByLabel('Max tokens').fill('12');
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function openCosts(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Costs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Costs', exact: true })).toBeVisible();
}

test('a chat lands in the ledger, shows on Costs, and a used-up daily budget blocks the next one', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  test.setTimeout(300_000); // a shared 2-core machine: scanning the fixture GGUFs alone can take ~15 s under load
  await page.goto(process.env.HEARTH_E2E_URL!);
  // let the Models screen finish its first scan with a generous timeout before the shared helper's 30 s expectations
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByTestId('model-row').first()).toBeVisible({ timeout: 120_000 });
  await ensureFixtureModelLoaded(page);

  // 1. one local generation
  await sendInModelChat(page, 'What does this cost?');
  await expect(page.getByTestId('turn-meta').last()).toContainText(/\d+ tokens/, { timeout: 90_000 });

  // 2. Costs shows it: totals, the chart, the local provider and the endpoint table
  await openCosts(page);
  const totals = page.getByTestId('cost-totals');
  await expect(totals).toBeVisible();
  const requests = Number(((await totals.locator('.stat').nth(1).locator('.stat-value').textContent()) ?? '0').replace(/,/g, ''));
  expect(requests).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('spend-chart').locator('.recharts-bar-rectangle').first()).toBeAttached();
  await expect(page.getByTestId('provider-chart')).toContainText('local');
  await expect(page.getByTestId('endpoints-table')).toContainText('chat');
  await expect(page.getByTestId('expensive-table')).toContainText('chat');
  await expect(page.getByTestId('local-vs-cloud')).toContainText(/Local requests/);
  // the app scrolls inside its content pane, so a tall viewport (not fullPage) shows the whole screen
  await page.setViewportSize({ width: 1280, height: 2300 });
  await page.screenshot({ path: path.join(artifacts, 'costs-overview.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // 3. a $0 daily budget for this machine's user: used up from the start
  const budgets = page.getByTestId('budgets-card');
  await budgets.getByLabel('Applies to').selectOption('user');
  await budgets.getByLabel('User id').fill('local');
  await budgets.getByLabel('Period').selectOption('day');
  await budgets.getByLabel('Limit (USD)').fill('0');
  await budgets.getByRole('button', { name: 'Set budget' }).click();
  const row = budgets.getByTestId('budget-row').filter({ hasText: 'User “local”, daily' });
  await expect(row).toContainText('used up');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

  // 4. the next chat is refused before the model runs, with a readable message and a way forward
  await sendInModelChat(page, 'And this one?');
  const notice = page.locator('[data-error-code="BUDGET_EXCEEDED"]').last();
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Raise the budget on the Costs screen');
  await expect(notice).toContainText(/daily budget for user "local" \(\$0\.000000\) is used up/);
  await expect(page.getByTestId('assistant-text').last()).toHaveText('');
  await page.screenshot({ path: path.join(artifacts, 'costs-budget-blocked.png'), fullPage: true });

  // 5. leave the app usable for later journeys: remove the budget, and chat works again
  await openCosts(page);
  await page.getByRole('button', { name: 'Remove budget: User “local”, daily' }).click();
  await expect(page.getByTestId('budgets-card').getByTestId('budget-row')).toHaveCount(0);
  await sendInModelChat(page, 'Working again?');
  await expect(page.getByTestId('turn-meta').last()).toContainText(/\d+ tokens/);
  // the refused call is an HTTP error response from the bridge, which Chromium logs; anything else is a bug
  expect(consoleErrors.filter((e) => !/status of 422/.test(e))).toEqual([]);
});
