import { UserError } from '../errors.js';
import type { MappingTarget } from './aliases.js';
import { SCHEMA_FIELDS, type SchemaField } from './product.js';
import type { RuleIssue } from './text.js';

/** A user's mapping rule: copy `sourceField` to `targetField`, optionally transformed. */
export interface MappingRule {
  sourceField: string;
  /** A schema field (`title`, `gtin`...) or `attributes.<name>`. */
  targetField: string;
  /** `trim`, `uppercase`, `lowercase`, `prefix:X` or `suffix:X`. */
  transform?: string;
}

export type Transform = (value: string) => string;

const FIELDS_BY_LOWER = new Map<string, SchemaField>(SCHEMA_FIELDS.map((field) => [field.toLowerCase(), field]));
// A Map: a spec such as `constructor` or `__proto__` must find nothing, not Object's own members.
const SIMPLE_TRANSFORMS = new Map<string, Transform>([
  ['trim', (value) => value.trim()],
  ['uppercase', (value) => value.toUpperCase()],
  ['lowercase', (value) => value.toLowerCase()],
]);

/** Parse a transform spec, or return the issue that makes it invalid. */
export function parseTransform(spec: string): Transform | RuleIssue {
  const simple = SIMPLE_TRANSFORMS.get(spec.trim().toLowerCase());
  if (simple !== undefined) return simple;
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? '' : spec.slice(0, colon).trim().toLowerCase();
  const text = spec.slice(colon + 1);
  if ((kind === 'prefix' || kind === 'suffix') && text.length > 0) {
    return kind === 'prefix' ? (value) => text + value : (value) => value + text;
  }
  return {
    code: 'mapping_bad_transform',
    message: `unknown transform '${spec}': use trim, uppercase, lowercase, prefix:TEXT or suffix:TEXT`,
  };
}

/** The target a rule names, matched case-insensitively, or the issue that makes it invalid. */
function parseTarget(targetField: string): MappingTarget | RuleIssue {
  const trimmed = targetField.trim();
  const field = FIELDS_BY_LOWER.get(trimmed.toLowerCase());
  if (field !== undefined) return field;
  if (trimmed.toLowerCase().startsWith('attributes.') && trimmed.length > 'attributes.'.length) {
    return `attributes.${trimmed.slice('attributes.'.length).trim()}`;
  }
  return {
    code: 'mapping_bad_target',
    message: `unknown target field '${targetField}': use one of ${SCHEMA_FIELDS.join(', ')} or attributes.<name>`,
  };
}

export interface CheckedRule {
  sourceField: string;
  target: MappingTarget;
  transform?: Transform;
}

/** Check one rule; for config validation, report every issue with its rule index. */
export function checkMappingRule(rule: MappingRule): CheckedRule | RuleIssue {
  if (typeof rule.sourceField !== 'string' || rule.sourceField.trim().length === 0) {
    return { code: 'mapping_bad_source', message: 'a mapping rule needs a non-empty sourceField' };
  }
  if (typeof rule.targetField !== 'string') {
    return { code: 'mapping_bad_target', message: `mapping rule for '${rule.sourceField}' needs a targetField` };
  }
  const target = parseTarget(rule.targetField);
  if (typeof target !== 'string') return target;
  if (rule.transform === undefined) return { sourceField: rule.sourceField, target };
  const transform = parseTransform(rule.transform);
  if (typeof transform !== 'function') return transform;
  return { sourceField: rule.sourceField, target, transform };
}

/** Check every rule, throwing a UserError (exit code 2) with a stable code on the first bad one. */
export function checkMappingRules(rules: readonly MappingRule[]): CheckedRule[] {
  return rules.map((rule, index) => {
    const checked = checkMappingRule(rule);
    if ('code' in checked) throw new UserError(checked.code, `mapping rule ${index + 1}: ${checked.message}`);
    return checked;
  });
}
