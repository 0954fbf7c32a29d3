import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { artifacts, ensureFixtureModelLoaded } from './journeyHelpers.js';

const DOC_NAME = 'greenhouse-pump-notes.md';
const DOC_TEXT =
  '# Greenhouse pump notes\n\n' +
  'The irrigation pump valve sticks in cold weather. Heat the valve housing for ten minutes before starting the pump.\n\n' +
  'Error E1234 on the pump display means the valve is stuck; clear it by cycling the power.\n';

test('ask a grounded question, watch it stream, open a citation and see the passage with its page', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-chat-'));
  const file = path.join(dir, DOC_NAME);
  fs.writeFileSync(file, DOC_TEXT);
  try {
    await page.goto(process.env.HEARTH_E2E_URL!);

    // 0. with an empty index, the Documents side of Chat teaches the next step and links to the Documents screen
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat', exact: true }).click();
    const fromDocuments = page.getByRole('group', { name: 'Answer from' }).getByRole('button', { name: /^Documents/ });
    await expect(fromDocuments).toHaveText(/Documents \(\d+\)/);
    await fromDocuments.click();
    if ((await fromDocuments.textContent()) === 'Documents (0)') {
      const empty = page.getByTestId('chat-empty');
      await expect(empty).toContainText('Add documents first');
      await expect(page.getByLabel('Question')).toBeDisabled();
      await page.screenshot({ path: path.join(artifacts, 'chat-empty.png'), fullPage: true });
      await empty.getByRole('button', { name: 'Go to Documents' }).click();
    } else {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Documents', exact: true }).click();
    }

    // 1. add a document through the Documents screen

    await expect(page.getByRole('heading', { name: 'Documents', exact: true })).toBeVisible();
    await page.getByTestId('file-input').setInputFiles([file]);
    const row = page.getByTestId('document-row').filter({ hasText: DOC_NAME });
    await expect(row).toHaveAttribute('data-status', 'indexed', { timeout: 90_000 });

    // 2. the fixture model
    await ensureFixtureModelLoaded(page);

    // 3. grounded chat, scoped to this document, keyword retrieval, short answers (the fixture model is slow and random)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat', exact: true }).click();
    await expect(fromDocuments).toHaveAttribute('aria-pressed', 'true'); // remembered
    const scope = page.getByLabel('Search in');
    const docOption = scope.locator('option', { hasText: DOC_NAME });
    await expect(docOption).toHaveCount(1);
    await scope.selectOption({ value: (await docOption.getAttribute('value'))! });
    await page.getByRole('button', { name: /^Retrieval settings/ }).click();
    const popover = page.getByRole('dialog', { name: 'Retrieval settings' });
    await popover.getByLabel('Retrieval mode').selectOption('bm25');
    await popover.getByLabel('Passages (k)').fill('2');
    await popover.getByLabel('Max answer length (characters)').fill('40');
    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();

    await page.getByLabel('Question').fill('What should I do when the pump valve sticks in cold weather?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(page.getByTestId('grounded-streaming')).toBeVisible(); // phase text, then streamed tokens
    const answer = page.getByTestId('grounded-answer').last();
    await expect(answer).toHaveAttribute('data-status', 'answered', { timeout: 90_000 });
    // the text arrived as streamed chat.token events over the bridge, not in one piece
    expect(Number(await answer.getAttribute('data-chunks'))).toBeGreaterThan(3);
    await expect(page.getByTestId('grounded-meta').last()).toContainText(/\d+ tokens · [\d.]+ tok\/s · .* · cost \$/);
    const chips = page.getByTestId('citation-chip');
    await expect(chips.first()).toContainText(DOC_NAME);
    await expect(chips.first()).toContainText('p. 1');

    // 4. the citation opens the side panel with the passage highlighted and its page
    await chips.first().click();
    const panel = page.getByTestId('citation-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading')).toContainText(DOC_NAME);
    await expect(panel.getByTestId('citation-page')).toContainText('Page 1');
    const highlighted = panel.locator('mark');
    await expect(highlighted).toContainText('valve');
    await expect(panel.getByTestId('citation-passage')).toContainText('Heat the valve housing');
    // the conversation is saved and listed
    await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText('What should I do when the pump valve sticks');
    await page.screenshot({ path: path.join(artifacts, 'chat-citation.png'), fullPage: true });

    // 5. a question the document cannot answer: no model call, the fixed reply
    await page.getByRole('button', { name: 'Close the passage' }).click();
    await page.getByLabel('Question').fill('quantum chromodynamics lattice');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(page.getByTestId('grounded-answer').last()).toHaveText('Not found in your documents.');
    await expect(page.getByTestId('grounded-answer').last()).toHaveAttribute('data-status', 'not-found');

    // leave the app as other journeys expect it: model-only chat, and no extra document in the index
    await page.getByRole('group', { name: 'Answer from' }).getByRole('button', { name: 'Model only' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Documents', exact: true }).click();
    await row.getByRole('button', { name: `Delete ${DOC_NAME}` }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByTestId('document-row').filter({ hasText: DOC_NAME })).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
