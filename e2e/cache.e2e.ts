import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

/** One generation over the bridge, as the renderer's client sends it (the token lives in session storage). */
async function generateOverBridge(page: Page, prompt: string): Promise<{ ok: boolean; text?: string }> {
  return page.evaluate(async (p) => {
    // runs in the page (the e2e tsconfig has no DOM lib)
    const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage;
    const token = storage.getItem('hearth.bridgeToken') ?? '';
    const res = await fetch('./api/invoke/llm.generate', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requestId: crypto.randomUUID(), input: { prompt: p, maxTokens: 6, temperature: 0 } }),
    });
    const envelope = (await res.json()) as { ok: boolean; value?: { text: string } };
    return { ok: envelope.ok, ...(envelope.value ? { text: envelope.value.text } : {}) };
  }, prompt);
}

async function openSettings(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  const card = page.getByRole('form', { name: 'Response cache' });
  await expect(card).toBeVisible();
  return card;
}

test('response cache: tune threshold and TTL (persisted), see hits and savings, clear the cache', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(process.env.HEARTH_E2E_URL!);
  await ensureFixtureModelLoaded(page);
  // a cacheable request (temperature 0) twice: the second is answered by the cache
  const prompt = `Name one primary colour. (cache journey ${Date.now()})`;
  const first = await generateOverBridge(page, prompt);
  const second = await generateOverBridge(page, prompt);
  expect(first.ok && second.ok).toBe(true);
  expect(second.text).toBe(first.text);

  let card = await openSettings(page);
  const threshold = card.getByLabel('Similarity threshold', { exact: true });
  const ttl = card.getByLabel('Keep answers for (hours)');
  await expect(card.getByRole('switch', { name: /semantic cache/ })).toBeChecked();
  await expect(threshold).toHaveValue('0.95');
  await expect(ttl).toHaveValue('168');

  // stats: the entry and its exact hit
  const entries = card.getByTestId('cache-entries');
  await expect(entries).not.toHaveText('0');
  const stats = card.getByTestId('cache-stats');
  await expect(stats).toContainText('Hits (exact / reworded)');
  await expect(stats).toContainText(/Hit rate, last 30 days\s*[\d.]+% of \d+ requests/);
  await expect(stats).not.toContainText(/Hit rate, last 30 days\s*0% of/);

  // an out-of-range threshold is refused before saving, with the reason
  await threshold.fill('0.3');
  await expect(card.getByText('Enter a similarity between 0.5 and 1 (default 0.95).')).toBeVisible();
  await expect(card.getByRole('button', { name: 'Save cache settings' })).toBeDisabled();

  await threshold.fill('0.97');
  await ttl.fill('48');
  await expect(card.getByText(/Reuses answers for rewordings/)).toBeVisible();
  await card.getByRole('button', { name: 'Save cache settings' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Cache settings saved' })).toBeVisible();

  // persisted: a reload reads them back from main
  await page.reload();
  card = await openSettings(page);
  await expect(card.getByLabel('Similarity threshold', { exact: true })).toHaveValue('0.97');
  await expect(card.getByLabel('Keep answers for (hours)')).toHaveValue('48');
  await expect(card.getByTestId('cache-entries')).not.toHaveText('0');
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(artifacts, 'settings-cache.png') });

  // clear, behind a confirmation that can be cancelled
  await card.getByRole('button', { name: 'Clear cache…' }).click();
  await card.getByRole('group', { name: 'Confirm clearing the cache' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(card.getByTestId('cache-entries')).not.toHaveText('0');
  await card.getByRole('button', { name: 'Clear cache…' }).click();
  await expect(card.getByText(/Delete \d+ cached answers?\?/)).toBeVisible();
  await card.getByRole('button', { name: 'Yes, clear cache' }).click();
  await expect(card.getByRole('status').filter({ hasText: /Cache cleared \(\d+ removed\)/ })).toBeVisible();
  await expect(card.getByTestId('cache-entries')).toHaveText('0');
  await card.screenshot({ path: path.join(artifacts, 'settings-cache-cleared.png') });

  // leave the defaults for the journeys that follow
  await card.getByLabel('Similarity threshold', { exact: true }).fill('0.95');
  await card.getByLabel('Keep answers for (hours)').fill('168');
  await card.getByRole('button', { name: 'Save cache settings' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Cache settings saved' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
