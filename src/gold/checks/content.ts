import { DESCRIPTION_MIN, TITLE_MAX, TITLE_MIN } from '../bounds.js';
import type { Check } from '../types.js';
import { earn, explainMissing, hasText, lose, outcomesByNumber, partial, round2 } from './outcome.js';
import { isAllCaps, isPunctuationStuffed } from './title-style.js';

const TITLE = 5;
const TITLE_LENGTH = 5;
const TITLE_STYLE = 3;
const DESCRIPTION = 5;
const DESCRIPTION_LENGTH = 5;
const DESCRIPTION_OWN = 2;

const NO_TITLE = lose('no title', 'title.missing');
const NO_DESCRIPTION = lose('no description', 'description.missing');
const TITLE_PRESENT = earn(TITLE, 'title present');
const TITLE_CLEAN = earn(TITLE_STYLE, 'title neither all caps nor stuffed with punctuation');
const DESCRIPTION_PRESENT = earn(DESCRIPTION, 'description present');
const DESCRIPTION_DIFFERS = earn(DESCRIPTION_OWN, 'description says more than the title');
/** Lengths past this are rare enough to describe afresh each time. */
const LENGTHS_KEPT = 4096;

const titleLength = outcomesByNumber(LENGTHS_KEPT, (length) => {
  if (length < TITLE_MIN) return lose(`title has ${length} characters, under ${TITLE_MIN}`, 'title.too_short');
  if (length > TITLE_MAX) return lose(`title has ${length} characters, over ${TITLE_MAX}`, 'title.too_long');
  return earn(TITLE_LENGTH, `title has ${length} characters`);
});

const descriptionLength = outcomesByNumber(LENGTHS_KEPT, (length) => {
  if (length >= DESCRIPTION_MIN) return earn(DESCRIPTION_LENGTH, `description has ${length} characters`);
  const won = round2((DESCRIPTION_LENGTH * length) / DESCRIPTION_MIN);
  return partial(won, `description has ${length} of ${DESCRIPTION_MIN} characters`, 'description.too_short');
});

/** Case and surrounding space aside, is the description just the title again? */
function isCopyOfTitle(description: string, title: string | undefined): boolean {
  // Silver trims and collapses whitespace, so lengths far apart settle it without copying either text.
  if (title === undefined || Math.abs(description.length - title.length) > 4) return false;
  const a = description.trim();
  const b = title.trim();
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

export const contentChecks: Check[] = [
  {
    id: 'content.title',
    stage: 'content',
    field: 'title',
    points: TITLE,
    label: 'title present',
    run: (product) => (hasText(product.title) ? TITLE_PRESENT : NO_TITLE),
  },
  {
    id: 'content.title-length',
    stage: 'content',
    field: 'title',
    points: TITLE_LENGTH,
    label: `title ${TITLE_MIN}-${TITLE_MAX} characters`,
    run: ({ title }) => (hasText(title) ? titleLength(title.length) : NO_TITLE),
  },
  {
    id: 'content.title-style',
    stage: 'content',
    field: 'title',
    points: TITLE_STYLE,
    label: 'title not all caps and not stuffed with punctuation',
    run: ({ title }) => {
      if (!hasText(title)) return NO_TITLE;
      if (isAllCaps(title)) return lose('title is all caps', 'title.all_caps');
      if (isPunctuationStuffed(title)) return lose('title is stuffed with punctuation', 'title.punctuation');
      return TITLE_CLEAN;
    },
  },
  {
    id: 'content.description',
    stage: 'content',
    field: 'description',
    points: DESCRIPTION,
    label: 'description present',
    run: (product, ctx) =>
      hasText(product.description) ? DESCRIPTION_PRESENT : lose(explainMissing(ctx, 'description', 'no description'), 'description.missing'),
  },
  {
    id: 'content.description-length',
    stage: 'content',
    field: 'description',
    points: DESCRIPTION_LENGTH,
    label: `description at least ${DESCRIPTION_MIN} characters of plain text; shorter earns in proportion`,
    run: ({ description }) => (hasText(description) ? descriptionLength(description.length) : NO_DESCRIPTION),
  },
  {
    id: 'content.description-own',
    stage: 'content',
    field: 'description',
    points: DESCRIPTION_OWN,
    label: 'description is not a copy of the title',
    run: ({ description, title }) => {
      if (!hasText(description)) return NO_DESCRIPTION;
      return isCopyOfTitle(description, title) ? lose('description repeats the title', 'description.repeats_title') : DESCRIPTION_DIFFERS;
    },
  },
];
