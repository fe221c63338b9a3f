/** Export formats, listed once for the writers, the flags and the JSON schemas. */
export const EXPORT_FORMATS = ['csv', 'json', 'jsonl', 'junit', 'html', 'merchant-tsv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
