import { z } from 'zod';

export const ProviderConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
  name: z.string().min(1).max(80),
  kind: z.literal('openai-compatible'),
  baseUrl: z.string().url(),
  /** The default model of this provider. */
  model: z.string().min(1),
  /** Other model names it serves (routing, comparisons). Added later: old settings files default to []. */
  models: z.array(z.string().min(1).max(200)).max(50).default([]),
  enabled: z.boolean(),
  /** Whether a key is stored (the key itself never reaches the renderer). */
  hasKey: z.boolean(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const PowerSettings = z.object({
  /** Average device draw while generating, watts. */
  deviceWatts: z.number().positive().max(5000),
  electricityUsdPerKwh: z.number().nonnegative().max(10),
  hardwareCostUsd: z.number().nonnegative().nullable(),
  hardwareLifetimeHours: z.number().positive().nullable(),
});

/** Response cache (Settings → Cache). Applied live; entries already stored keep their expiry. */
export const CacheSettings = z.object({
  /** Serve paraphrases of earlier prompts (same model, schema, corpus and parameters) by embedding similarity. */
  semanticEnabled: z.boolean(),
  /** Cosine similarity a paraphrase needs to be served. Higher = fewer, safer hits. */
  semanticThreshold: z.number().min(0.5).max(1),
  /** How long a new entry lives, hours (max one year). */
  ttlHours: z.number().positive().max(8760),
});
export type CacheSettings = z.infer<typeof CacheSettings>;

/**
 * 0.95 keeps semantic hits to near-duplicates. Measured with USE-Lite (the default embedder): "What's the capital of
 * France?" 0.989 and "Summarize"/"Summarise" 0.970 hit; "Which city is the capital of France?" 0.912, lower-cased
 * 0.919 and "…capital of Germany?" 0.844 miss.
 * Paraphrase hits must also pass the cache's lexical guard (same numbers, negations and quoted strings), since
 * "two" vs "three sentences" scored 0.989.
 */
export const DEFAULT_CACHE_SETTINGS: CacheSettings = { semanticEnabled: true, semanticThreshold: 0.95, ttlHours: 168 };

export const Settings = z.object({
  /** Offline mode: nothing leaves the machine; cloud providers and downloads are blocked. */
  offline: z.boolean(),
  providers: z.array(ProviderConfig),
  /** Download hosts the user approved (the manifest's hosts need approval once). */
  approvedDownloadHosts: z.array(z.string()),
  power: PowerSettings,
  /** Cloud models the local-vs-cloud report compares against. */
  comparisonModels: z.array(z.string()),
  metricsEnabled: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Added later: older settings files get the defaults. */
  cache: CacheSettings.default(DEFAULT_CACHE_SETTINGS),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  offline: true,
  providers: [],
  approvedDownloadHosts: [],
  power: { deviceWatts: 45, electricityUsdPerKwh: 0.15, hardwareCostUsd: null, hardwareLifetimeHours: null },
  comparisonModels: ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet-20241022'],
  metricsEnabled: false,
  theme: 'system',
  cache: DEFAULT_CACHE_SETTINGS,
};
