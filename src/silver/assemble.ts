import type { BrokenUrl, DuplicateLinkReason, FieldIssue, SilverContext, SilverProduct, SilverResult, UrlState } from './product.js';

export interface UrlVerdict {
  state: UrlState;
  reason?: string;
  detail?: string;
}

export interface SilverParts {
  product: SilverProduct;
  issues: FieldIssue[];
  fromStore?: string[];
  fieldsNormalized: number;
  brandLinked: boolean;
  duplicateOf: string | null;
  duplicateReason?: DuplicateLinkReason | null;
  duplicateValue?: string | null;
  /** Verdict for every image URL of the product (a URL without one is unchecked). */
  urls: Pick<ReadonlyMap<string, UrlVerdict>, 'get'>;
  /** Set when the product cannot be normalized (e.g. a brand missing from a strict list). */
  error?: string;
}

export interface SilverOutcome {
  product: SilverProduct;
  result: SilverResult;
  context: SilverContext;
}

export function imageUrlsOf(product: SilverProduct): string[] {
  return product.primaryImageUrl ? [product.primaryImageUrl, ...product.additionalImageUrls] : product.additionalImageUrls;
}

/** Puts a normalized product, its links and its URL verdicts together into the Silver result. */
export function assembleSilver(parts: SilverParts): SilverOutcome {
  const imageStates: Record<string, UrlState> = Object.create(null);
  const brokenUrls: BrokenUrl[] = [];
  let urlsValidated = 0;
  for (const url of imageUrlsOf(parts.product)) {
    const verdict = parts.urls.get(url) ?? { state: 'unchecked' };
    imageStates[url] = verdict.state;
    if (verdict.state !== 'unchecked') urlsValidated++;
    if (verdict.state === 'broken')
      brokenUrls.push(verdict.detail ? { url, reason: verdict.reason ?? 'broken', detail: verdict.detail } : { url, reason: verdict.reason ?? 'broken' });
  }
  for (const issue of parts.issues) {
    if ((issue.field === 'primaryImageUrl' || issue.field === 'additionalImageUrls') && issue.value) {
      urlsValidated++;
      brokenUrls.push({ url: issue.value, reason: issue.code, detail: issue.message });
    }
  }
  const result: SilverResult = {
    productId: parts.product.id,
    status: parts.error ? 'error' : 'success',
    fieldsNormalized: parts.fieldsNormalized,
    duplicateOf: parts.duplicateOf,
    duplicateReason: parts.duplicateOf ? (parts.duplicateReason ?? null) : null,
    duplicateValue: parts.duplicateOf ? (parts.duplicateValue ?? null) : null,
    urlsValidated,
    brokenUrls,
  };
  if (parts.error) result.error = parts.error;
  const context: SilverContext = { duplicateOf: parts.duplicateOf, imageStates, brandLinked: parts.brandLinked, issues: parts.issues };
  if (parts.fromStore !== undefined && parts.fromStore.length > 0) context.fromStore = parts.fromStore;
  return { product: parts.product, result, context };
}
