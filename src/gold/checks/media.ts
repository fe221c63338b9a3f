import type { SilverContext, UrlState } from '../../silver/product.js';
import { isHttpUrl } from '../codes.js';
import type { Check } from '../types.js';
import { earn, explainMissing, lose } from './outcome.js';

const PRIMARY_IMAGE = 14;
const ADDITIONAL_IMAGE = 6;

const PRIMARY_VALID = earn(PRIMARY_IMAGE, 'primary image validated');
const PRIMARY_UNCHECKED = earn(PRIMARY_IMAGE, 'primary image URL well-formed, not checked over the network', true);
const PRIMARY_BROKEN = lose('primary image URL is broken', 'image.broken');
const PRIMARY_MALFORMED = lose('primary image URL is not an absolute http(s) URL', 'image.broken');
const ADDITIONAL_VALID = earn(ADDITIONAL_IMAGE, 'additional image validated');
const ADDITIONAL_UNCHECKED = earn(ADDITIONAL_IMAGE, 'additional image URL well-formed, not checked over the network', true);
const NO_ADDITIONAL = lose('no additional image', 'images.no_additional');
const ADDITIONAL_BROKEN = lose('every additional image URL is broken', 'images.additional_broken');

/** A URL Silver never looked at is judged by its syntax, like an offline run. */
export function imageState(ctx: SilverContext, url: string): UrlState {
  const state = ctx.imageStates[url];
  if (state !== undefined) return state;
  return isHttpUrl(url) ? 'unchecked' : 'broken';
}

export const mediaChecks: Check[] = [
  {
    id: 'media.primary-image',
    stage: 'media',
    field: 'primaryImageUrl',
    points: PRIMARY_IMAGE,
    label: 'primary image present and validated (offline: well-formed URL, marked unchecked)',
    run: (product, ctx) => {
      const url = product.primaryImageUrl;
      if (url === undefined || url.length === 0) return lose(explainMissing(ctx, 'primaryImageUrl', 'no primary image'), 'image.missing');
      const state = imageState(ctx, url);
      if (state === 'valid') return PRIMARY_VALID;
      if (state === 'unchecked') return PRIMARY_UNCHECKED;
      return ctx.imageStates[url] === undefined ? PRIMARY_MALFORMED : PRIMARY_BROKEN;
    },
  },
  {
    id: 'media.additional-images',
    stage: 'media',
    field: 'additionalImageUrls',
    points: ADDITIONAL_IMAGE,
    label: 'at least one additional image that is not broken',
    run: (product, ctx) => {
      const urls = product.additionalImageUrls;
      if (urls.length === 0) return NO_ADDITIONAL;
      let isUnchecked = false;
      for (const url of urls) {
        const state = imageState(ctx, url);
        if (state === 'valid') return ADDITIONAL_VALID;
        if (state === 'unchecked') isUnchecked = true;
      }
      return isUnchecked ? ADDITIONAL_UNCHECKED : ADDITIONAL_BROKEN;
    },
  },
];
