/** The cost ledger: exact per-request costs, prices, local energy cost, budgets, analytics, metrics. */
export { LedgerStore, type LedgerStoreOptions, type TrackMeta, type TrackUsage } from './LedgerStore.js';
export type { LedgerRequestInput, LedgerRow, TimeRange } from './ledgerTypes.js';
export { PriceBook, pricingVersionOf, type PriceRow, type ImportResult, type CostQuery } from './PriceBook.js';
export { priceTokens, type TokenRate, type TokenCost } from './priceTokens.js';
export { Micros } from './Micros.js';
export { LocalCostModel, DEVICE_CLASS_WATTS, type DeviceClass, type LocalCostConfig, type LocalCost } from './LocalCostModel.js';
export {
  BudgetManager, BUDGET_ALERT_THRESHOLDS, periodBounds, type Budget, type LedgerAlert, type AlertListener,
} from './BudgetManager.js';
export { BudgetExceededError, type BudgetScope, type BudgetPeriod } from './BudgetExceededError.js';
export { LedgerStorageError } from './LedgerStorageError.js';
export { PriceNotFoundError } from './PriceNotFoundError.js';
export { RollupMismatchError } from './RollupMismatchError.js';
export {
  LedgerAnalytics, type AnalyticsOptions, type AnalyticsSource, type Totals, type DayModelRow, type UserRow,
  type EndpointRow, type ExpensiveRow, type AnomalyRow, type SavingsRow,
} from './LedgerAnalytics.js';
export { exportRequests, EXPORT_COLUMNS, type ExportFormat } from './exportRequests.js';
export { createLedgerMetrics, type LedgerMetrics } from './createLedgerMetrics.js';
export { migrateLedger, ledgerMigrations, LATEST_LEDGER_VERSION, type LedgerMigration } from './migrateLedger.js';
export { runLedgerCommand, LEDGER_USAGE, type LedgerCommandContext } from './cli/runLedgerCommand.js';
export { uuidV7 } from './uuidV7.js';
