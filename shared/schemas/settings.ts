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
};
