// The field reference of docs/json.md, rendered from the zod schemas every `--json` document is
// checked against (src/report/schemas.ts) through z.toJSONSchema: one list of fields per document,
// with the building blocks several documents share listed once and linked.
import { z } from 'zod';
import * as S from '../../dist/report/schemas.js';

/** Shared parts, by the anchor they get on the page. */
const BLOCKS = [
  ['job', S.JobRecordSchema, 'a job as `jobs`, `status` and `run` print it, with its summary'],
  ['job-brief', S.JobBriefSchema, 'a job in a normalize or analyze document, whose summary is the document itself'],
  ['job-scope', S.JobScopeSchema, 'what a job covers'],
  ['load-summary', S.LoadSummarySchema, 'what a load did'],
  ['normalize-summary', S.NormalizeSummarySchema, 'what a normalize job did'],
  ['analyze-summary', S.AnalyzeSummarySchema, 'what an analyze job did'],
  ['silver-result', S.SilverResultSchema, 'one product after normalize'],
  ['silver-product', S.SilverProductSchema, 'the cleaned product in the Silver schema'],
  ['gold-result', S.GoldResultSchema, 'one product after analyze'],
  ['catalog-summary', S.CatalogSummarySchema, 'scores over many products'],
  ['gates', S.GateReportSchema, 'the verdict of each gate'],
  ['regressions', S.RegressionsSchema, 'products scoring lower than in the baseline'],
];

const DOCUMENTS = [
  ['load', S.LoadJsonSchema],
  ['normalize', S.NormalizeJsonSchema],
  ['analyze', S.AnalyzeJsonSchema],
  ['run', S.RunJsonSchema],
  ['show ID', S.ShowJsonSchema],
  ['products', S.ProductsJsonSchema],
  ['summary', S.SummaryJsonSchema],
  ['brands --suggest', S.BrandSuggestionsJsonSchema],
  ['jobs', S.JobsJsonSchema],
  ['status JOB', S.StatusJsonSchema],
  ['cancel JOB', S.CancelJsonSchema],
  ['normalize/analyze --detach', S.DetachJsonSchema],
  ['export', S.ExportJsonSchema],
  ['config validate', S.ConfigValidateJsonSchema],
  ['config show', S.ConfigShowJsonSchema],
];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function describeNumber(node) {
  const name = node.type === 'integer' ? 'integer' : 'number';
  const low = node.minimum ?? (node.exclusiveMinimum === undefined ? undefined : `>${node.exclusiveMinimum}`);
  const high = node.maximum === MAX_SAFE ? undefined : node.maximum;
  const lowText = typeof low === 'number' && low > -MAX_SAFE ? String(low) : typeof low === 'string' ? low : undefined;
  if (lowText !== undefined && high !== undefined) return `${name} ${lowText}-${high}`;
  if (lowText === '0') return `${name} ≥ 0`;
  if (lowText === '>0') return `${name} > 0`;
  if (lowText !== undefined) return `${name} ≥ ${lowText}`;
  return name;
}

/** A one-line type for a schema node, or undefined for an object, which is listed field by field. */
function typeOf(node) {
  if (node.$ref !== undefined) {
    const id = node.$ref.replace('#/$defs/', '');
    // A reference zod made itself is a recursive schema: z.json(), any JSON value.
    return BLOCKS.some(([block]) => block === id) ? `[${id}](#${id})` : 'any JSON value';
  }
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum !== undefined) return `\`${node.enum.map((v) => JSON.stringify(v)).join(' | ')}\``;
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives !== undefined) {
    const types = alternatives.map(typeOf);
    if (types.every((t) => t !== undefined)) return types.join(' or ');
    return undefined;
  }
  if (Array.isArray(node.type)) return node.type.map((t) => typeOf({ ...node, type: t })).join(' or ');
  switch (node.type) {
    case 'string':
      if (node.format === 'date-time') return 'ISO 8601 time (UTC)';
      if (node.pattern !== undefined) return `string matching \`${node.pattern}\``;
      return 'string';
    case 'number':
    case 'integer':
      return describeNumber(node);
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (node.prefixItems !== undefined) return `[${node.prefixItems.map(typeOf).join(', ')}] (a pair)`;
      const item = typeOf(node.items);
      return item === undefined ? undefined : `list of ${item}`;
    }
    case 'object':
      if (node.properties === undefined && typeof node.additionalProperties === 'object') {
        const value = typeOf(node.additionalProperties);
        return value === undefined ? undefined : `object of ${value} by key`;
      }
      return undefined;
    default:
      return 'any JSON value';
  }
}

/** Markdown list lines for a node that typeOf could not put on one line. */
function fieldLines(node, indent) {
  const pad = '  '.repeat(indent);
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives !== undefined) {
    return alternatives.flatMap((alt) => {
      const one = typeOf(alt);
      if (one !== undefined) return [`${pad}- ${one}`];
      return (alt.anyOf ?? alt.oneOf) ? fieldLines(alt, indent) : [`${pad}- an object:`, ...fieldLines(alt, indent + 1)];
    });
  }
  if (node.type === 'array') return [`${pad}- a list of:`, ...fieldLines(node.items, indent + 1)];
  if (node.type === 'object' && node.properties === undefined) return [`${pad}- by key:`, ...fieldLines(node.additionalProperties, indent + 1)];
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([name, child]) => {
    const optional = required.has(name) ? '' : ' (optional)';
    const one = typeOf(child);
    if (one !== undefined) return [`${pad}- \`${name}\`${optional}: ${one}`];
    const lead = (child.anyOf ?? child.oneOf) ? ', one of' : '';
    return [`${pad}- \`${name}\`${optional}${lead}:`, ...fieldLines(child, indent + 1)];
  });
}

/** The list of a whole document or block, with a lead line when it is one of several shapes. */
function topLines(node) {
  return (node.anyOf ?? node.oneOf) ? ['One of:', '', ...fieldLines(node, 0)] : fieldLines(node, 0);
}

function jsonSchemaOf(schema, registry) {
  return z.toJSONSchema(schema, { metadata: registry, io: 'output', unrepresentable: 'any' });
}

export function jsonBlocks() {
  const registry = z.registry();
  for (const [id, schema] of BLOCKS) registry.add(schema, { id });
  const parts = ['### Building blocks', ''];
  for (const [id, schema, what] of BLOCKS) {
    // Listed through a wrapper so that the block itself is expanded, not turned into a reference.
    const node = jsonSchemaOf(z.object({ x: schema }), registry).$defs[id];
    parts.push(`#### ${id}`, '', `${what[0].toUpperCase()}${what.slice(1)}.`, '', ...topLines(node), '');
  }
  parts.push('### Documents', '');
  for (const [command, schema] of DOCUMENTS) {
    parts.push(`#### \`assay ${command} --json\``, '', ...topLines(jsonSchemaOf(schema, registry)), '');
  }
  return { 'json-fields': parts.join('\n').trim() };
}
