/** Export formats, listed once for the writers, the flags and the JSON schemas. */
export const EXPORT_FORMATS = ['csv', 'json', 'jsonl', 'junit', 'html', 'merchant-tsv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Products under this score fail the junit export when neither --threshold nor a min-score gate is set. */
export const DEFAULT_THRESHOLD = 65;
