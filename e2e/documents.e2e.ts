import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { buildPdf } from '../electron/services/ingest/index.js';
import { artifacts } from './journeyHelpers.js';

/** Source files for this journey, written to a temp folder (what a user would pick in the file dialog). */
function writeSources(): { dir: string; markdown: string; pdf: string; corrupt: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-docs-'));
  const markdown = path.join(dir, 'field-handbook.md');
  fs.writeFileSync(
    markdown,
    '# Field handbook\n\n## Safety\n\nAlways wear gloves when handling the compost turner. Report injuries within 24 hours.\n\n' +
      '## Schedule\n\nThe greenhouse is watered at 7:00 and 18:00. Seed orders close on the first Friday of each month.\n',
  );
  const pdf = path.join(dir, 'supplier-terms.pdf');
  fs.writeFileSync(pdf, buildPdf(['Invoices are payable within thirty days of delivery.', 'Late payments incur a fee of two percent per month.'], { title: 'Supplier terms' }));
  const corrupt = path.join(dir, 'scanned-contract.pdf');
  const good = buildPdf(['This contract text will never be read.']);
  fs.writeFileSync(corrupt, Buffer.concat([good.subarray(0, 48), Buffer.from('\n%%garbage: truncated download\n')]));
  return { dir, markdown, pdf, corrupt };
}

test('add a Markdown file and a PDF, watch them index, then see a readable error for a corrupt PDF', async ({ page }) => {
  const src = writeSources();
  try {
    await page.goto(process.env.HEARTH_E2E_URL!);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Documents', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Documents', exact: true })).toBeVisible();
    await expect(page.getByTestId('index-summary')).toBeVisible();
    // on a fresh data folder the table teaches the next step (journeys share one bridge, so only if still empty)
    if (await page.getByTestId('documents-empty').isVisible()) {
      await expect(page.getByTestId('documents-empty')).toContainText('Drop a few files');
      await page.screenshot({ path: path.join(artifacts, 'documents-empty.png') });
    }

    // a new collection, with tags
    await page.getByLabel('Collection', { exact: true }).selectOption({ label: 'New collection…' });
    await page.getByLabel('New collection name', { exact: true }).fill('Farm ops');
    await page.getByLabel('Tags', { exact: true }).fill('handbook, 2025');

    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles([src.markdown, src.pdf]);
    const jobs = page.getByTestId('file-job');
    await expect(jobs).toHaveCount(2);
    // progress is shown while it runs (bars exist for both files), then both finish
    await expect(page.getByRole('progressbar', { name: 'field-handbook.md progress' })).toBeVisible();
    await expect(jobs.filter({ hasText: 'field-handbook.md' })).toHaveAttribute('data-status', 'indexed', { timeout: 60_000 });
    await expect(jobs.filter({ hasText: 'supplier-terms.pdf' })).toHaveAttribute('data-status', 'indexed', { timeout: 60_000 });
    const ingestMs = Date.now() - t0;
    console.log(`[documents.e2e] two documents ingested through the UI in ${ingestMs} ms`);
    await expect(page.getByRole('progressbar', { name: 'supplier-terms.pdf progress' })).toHaveAttribute('aria-valuenow', '100');

    const rows = page.getByTestId('document-row');
    const md = rows.filter({ hasText: 'field-handbook.md' });
    const pdf = rows.filter({ hasText: 'supplier-terms.pdf' });
    await expect(md).toHaveAttribute('data-status', 'indexed');
    await expect(pdf).toHaveAttribute('data-status', 'indexed');
    await expect(md).toContainText('Farm ops');
    await expect(md).toContainText('handbook, 2025');
    await expect(pdf.locator('td').nth(2)).toHaveText('2'); // pages
    expect(Number(await page.getByTestId('chunk-count').textContent())).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(artifacts, 'documents-ingested.png'), fullPage: true });

    // a corrupt PDF fails on its own, with a human message and a way forward; the others stay indexed
    await page.getByTestId('file-input').setInputFiles([src.corrupt]);
    const failed = page.getByTestId('file-job').filter({ hasText: 'scanned-contract.pdf' });
    await expect(failed).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
    const alert = failed.getByRole('alert');
    await expect(alert).toHaveAttribute('data-error-code', 'DOCUMENT_UNREADABLE');
    await expect(alert).toContainText('This PDF is damaged');
    await expect(alert).toContainText('add it again');
    await expect(rows.filter({ hasText: 'scanned-contract.pdf' })).toHaveAttribute('data-status', 'error');
    await expect(md).toHaveAttribute('data-status', 'indexed');
    await expect(pdf).toHaveAttribute('data-status', 'indexed');
    await page.screenshot({ path: path.join(artifacts, 'documents-corrupt-error.png'), fullPage: true });

    // delete the failed row (with confirmation) so later journeys see a clean corpus of two documents
    const corruptRow = rows.filter({ hasText: 'scanned-contract.pdf' });
    await corruptRow.getByRole('button', { name: 'Delete scanned-contract.pdf' }).click();
    await corruptRow.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(rows.filter({ hasText: 'scanned-contract.pdf' })).toHaveCount(0);
    await expect(rows).toHaveCount(2);
  } finally {
    fs.rmSync(src.dir, { recursive: true, force: true });
  }
});
