import path from 'node:path';
import { expect, test } from '@playwright/test';
import { artifacts } from './journeyHelpers.js';

const SECRET = 'sk-e2e-never-echo-7f3a9c';

test('add a provider with a key (never echoed), toggle offline mode and switch theme', async ({ page }) => {
  // every response body the page receives, to prove the key never comes back
  const bodies: Promise<string>[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/invoke/')) bodies.push(res.text().catch(() => ''));
  });
  await page.goto(process.env.HEARTH_E2E_URL!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();

  // add a provider, then store its key
  await page.getByRole('button', { name: '+ Add OpenAI-compatible provider' }).click();
  const draft = page.getByRole('form', { name: 'Provider New provider' });
  await draft.getByLabel('Name').fill('Acme Cloud');
  await draft.getByLabel('Base URL').fill('https://api.acme.example/v1');
  await draft.getByLabel('Default model').fill('acme-small');
  await draft.getByLabel('Other models (comma-separated)').fill('acme-large, acme-tiny');
  await draft.getByRole('button', { name: 'Add provider' }).click();
  const provider = page.getByRole('form', { name: 'Provider Acme Cloud' });
  await expect(provider).toBeVisible();
  await expect(provider.getByTestId('key-state')).toContainText('No key stored');
  await provider.getByLabel('API key for Acme Cloud').fill(SECRET);
  await provider.getByRole('button', { name: 'Store key' }).click();
  await expect(provider.getByTestId('key-state')).toContainText('Key stored');
  await expect(provider.getByTestId('key-state')).toContainText(/keychain|key file/);
  await expect(provider.getByLabel('API key for Acme Cloud')).toHaveValue('');

  // offline mode: on by default, off, then on again, with the plain statement
  const offline = page.getByRole('switch', { name: 'Offline mode' });
  const statement = page.getByTestId('offline-statement');
  await expect(offline).toBeChecked();
  await expect(statement).toHaveText('Offline: nothing leaves this machine. Cloud providers and downloads are blocked.');
  await offline.click();
  await expect(offline).not.toBeChecked();
  await expect(statement).toContainText('Online');
  await offline.click();
  await expect(offline).toBeChecked();
  await expect(statement).toContainText('Offline: nothing leaves this machine.');

  // theme: dark applies at once and survives a reload
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByText('✓ Theme saved')).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('form', { name: 'Provider Acme Cloud' }).getByTestId('key-state')).toContainText('Key stored');
  await page.setViewportSize({ width: 1280, height: 2100 }); // the content pane scrolls, so fullPage alone shows one screen
  await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: path.join(artifacts, 'settings.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // leave the app as other journeys expect it: system theme, no provider
  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.getByText('✓ Theme saved')).toBeVisible();
  await page.getByRole('form', { name: 'Provider Acme Cloud' }).getByRole('button', { name: 'Remove provider' }).click();
  await expect(page.getByRole('form', { name: 'Provider Acme Cloud' })).toHaveCount(0);

  const seen = await Promise.all(bodies);
  expect(seen.length).toBeGreaterThan(5);
  for (const body of seen) expect(body).not.toContain(SECRET);
  expect(seen.some((b) => b.includes('"hasKey":true'))).toBe(true);
});
