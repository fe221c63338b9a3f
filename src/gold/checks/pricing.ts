import { AVAILABILITIES, type Availability } from '../../silver/product.js';
import { isValidCurrency } from '../codes.js';
import type { Check } from '../types.js';
import { earn, explainMissing, hasText, lose } from './outcome.js';

const PRICE = 4;
const CURRENCY = 2;
const AVAILABILITY = 2;
const ORIGINAL_PRICE = 2;

const PRICE_POSITIVE = earn(PRICE, 'price above zero');
const CURRENCY_VALID = earn(CURRENCY, 'valid ISO 4217 currency');
const AVAILABILITY_VALID = earn(AVAILABILITY, 'valid availability');
const NO_SALE = earn(ORIGINAL_PRICE, 'no original price, nothing to contradict the price');
const SALE_CONSISTENT = earn(ORIGINAL_PRICE, 'original price not below the price');
// Without a price the original price cannot be judged: the loss is the price's, not a gap of its own.
const NO_PRICE_TO_COMPARE = lose('no price to compare the original price with', 'price.missing', 'price');
const ZERO_PRICE_TO_COMPARE = lose('no price above zero to compare the original price with', 'price.not_positive', 'price');

const AVAILABILITY_SET: ReadonlySet<string> = new Set<Availability>(AVAILABILITIES);

function isPositivePrice(price: number | undefined): price is number {
  return price !== undefined && Number.isFinite(price) && price > 0;
}

export const pricingChecks: Check[] = [
  {
    id: 'pricing.price',
    stage: 'pricing',
    field: 'price',
    points: PRICE,
    label: 'price above zero',
    run: ({ price }, ctx) => {
      if (isPositivePrice(price)) return PRICE_POSITIVE;
      return price === undefined
        ? lose(explainMissing(ctx, 'price', 'no price'), 'price.missing')
        : lose(`price ${price} is not above zero`, 'price.not_positive');
    },
  },
  {
    id: 'pricing.currency',
    stage: 'pricing',
    field: 'currency',
    points: CURRENCY,
    label: 'valid ISO 4217 currency',
    run: ({ currency }, ctx) => {
      if (!hasText(currency)) return lose(explainMissing(ctx, 'currency', 'no currency'), 'currency.missing');
      return isValidCurrency(currency) ? CURRENCY_VALID : lose(`'${currency}' is not an ISO 4217 currency`, 'currency.invalid');
    },
  },
  {
    id: 'pricing.availability',
    stage: 'pricing',
    field: 'availability',
    points: AVAILABILITY,
    label: `availability is one of ${AVAILABILITIES.join(', ')}`,
    run: ({ availability }, ctx) => {
      if (availability === undefined) return lose(explainMissing(ctx, 'availability', 'no availability'), 'availability.missing');
      return AVAILABILITY_SET.has(availability) ? AVAILABILITY_VALID : lose(`'${availability}' is not an availability`, 'availability.invalid');
    },
  },
  {
    id: 'pricing.original-price',
    stage: 'pricing',
    field: 'originalPrice',
    points: ORIGINAL_PRICE,
    label: 'a price, and an original price (if any) not below it',
    run: ({ price, originalPrice }) => {
      if (!isPositivePrice(price)) return price === undefined ? NO_PRICE_TO_COMPARE : ZERO_PRICE_TO_COMPARE;
      if (originalPrice === undefined) return NO_SALE;
      if (originalPrice >= price) return SALE_CONSISTENT;
      return lose(`original price ${originalPrice} is below the price ${price}`, 'original_price.below_price');
    },
  },
];
