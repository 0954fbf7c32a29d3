import type { ReactNode } from 'react';

const WHAT: Record<string, string> = {
  documents: 'Add PDFs, DOCX, HTML, Markdown, text and CSV files to private collections, indexed for hybrid search on this machine.',
  eval: 'Import datasets, run prompts and models over them, and compare variants with real statistics.',
  costs: 'See what every request cost, what local inference saved against cloud prices, and set budgets.',
  settings: 'Providers, the offline switch, data folder, pricing and power figures, and theme.',
};

/** Screens whose services are not wired into the contract yet say so plainly instead of pretending. */
export function PlaceholderScreen({ title, screen }: { title: string; screen: string }): ReactNode {
  return (
    <section className="screen" aria-labelledby="placeholder-title">
      <header className="screen-header">
        <h1 id="placeholder-title">{title}</h1>
      </header>
      <div className="empty">
        <p>{WHAT[screen]}</p>
        <p className="muted">This screen is not available in this build yet.</p>
      </div>
    </section>
  );
}
