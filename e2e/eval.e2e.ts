import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadFixtureModelPatiently } from './evalHelpers.js';
import { artifacts } from './journeyHelpers.js';

/** Five cases plus one malformed line (line 3), to see line-numbered import errors. */
const DATASET = [
  '{"id":"fr","input":"What is the capital of France?","expected":"Paris"}',
  '{"id":"jp","input":"What is the capital of Japan?","expected":"Tokyo"}',
  '{"id":"broken", "input": }',
  '{"id":"it","input":"What is the capital of Italy?","expected":"Rome"}',
  '{"id":"eg","input":"What is the capital of Egypt?","expected":"Cairo"}',
  '{"id":"pe","input":"What is the capital of Peru?","expected":"Lima"}',
].join('\n');

test('import a dataset, run a seeded A/B test of two prompts, read the report', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto(process.env.HEARTH_E2E_URL!);
  await loadFixtureModelPatiently(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Eval', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Eval', exact: true })).toBeVisible();

  // import from a file: the name comes from the file name, the malformed line is reported by number
  await page.getByLabel('JSONL file').setInputFiles({ name: 'e2e-capitals.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(DATASET) });
  await expect(page.getByLabel('Dataset name')).toHaveValue('e2e-capitals');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const outcome = page.getByTestId('import-outcome');
  await expect(outcome).toContainText('5 cases, 1 line skipped');
  await expect(outcome).toContainText('line 3');
  await expect(page.getByTestId('dataset-cases').locator('tbody tr')).toHaveCount(5);
  await page.screenshot({ path: path.join(artifacts, 'eval-datasets.png') });

  // A/B of two prompts on the same five cases
  await page.getByRole('tab', { name: 'A/B tests' }).click();
  await page.getByRole('combobox', { name: 'Dataset', exact: true }).selectOption('e2e-capitals');
  await page.getByRole('combobox', { name: 'Metric', exact: true }).selectOption('token-f1');
  await page.getByLabel('Seed').fill('7');
  await page.getByLabel('Name A').fill('plain');
  await page.getByLabel('Prompt A').fill('{{input}}');
  await page.getByLabel('Max tokens A').fill('6');
  await page.getByLabel('Name B').fill('one-word');
  await page.getByLabel('Prompt B').fill('Answer with one word only. {{input}}');
  await page.getByLabel('Max tokens B').fill('6');
  await page.getByRole('button', { name: 'Start A/B test' }).click();

  const report = page.getByTestId('ab-report');
  await expect(report).toBeVisible();
  await expect(report.getByText('completed', { exact: true })).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('ab-explanation')).toContainText(/one-word|plain/);
  await expect(page.getByTestId('ab-explanation')).toContainText('over 5 cases');
  await expect(report.locator('figure.eval-chart svg')).toBeVisible();
  await expect(report.getByRole('heading', { name: 'Failures of plain' })).toBeVisible();
  // the A/B is listed with its seed-reproducible report
  await expect(page.getByRole('button', { name: 'plain vs one-word' })).toBeVisible();
  // the shell scrolls inside .content, so bring the report into the viewport for the screenshot
  await report.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'eval-ab.png') });

  // each arm is a stored run with its accuracy, latency and cost cards and its failures (input / expected / got)
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('button', { name: 'one-word', exact: true }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByRole('group', { name: 'Accuracy' })).toContainText('of 5 passed');
  await expect(detail.getByTestId('failures-table').locator('tbody tr')).toHaveCount(5);
});
