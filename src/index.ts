/**
 * assay as a library: the CLI is one user of these calls. See docs/api.md.
 */
export { openCatalog, type AnalyzeOptions, type Catalog, type NormalizeOptions, type RunControl, type Scope } from './api/catalog.js';
export type { AnalyzeRun } from './app/analyze.js';
export type { BaselineOptions } from './app/baseline.js';
export type { AssayEvent } from './app/events.js';
export type { LoadOptions } from './app/load.js';
export type { NormalizeRun } from './app/normalize.js';
export type { Regressions } from './app/regressions.js';
export type { StageRun } from './app/stage.js';
export { ExitCode, isUserError, UserError, type ExitCodeValue } from './errors.js';
export type { GateReport, Gates } from './gold/gates.js';
export type { CatalogSummary } from './gold/summary.js';
export type { BandThresholds, Weights } from './gold/types.js';
export type { LoadSummary } from './ingest/load.js';
export type { ProductRecord } from './report/schemas.js';
export type { ProductFilters } from './store/products.js';
export type { JobRow } from './store/jobs.js';
