/** The bounds the rubric measures against; the table of docs/rubric.md is generated from them. */
export const TITLE_MIN = 30;
export const TITLE_MAX = 150;
/** Plain-text characters; shorter descriptions earn in proportion. */
export const DESCRIPTION_MIN = 200;
export const CATEGORY_MIN_DEPTH = 3;
export const SHORT_DESCRIPTION_MIN = 50;
export const SHORT_DESCRIPTION_MAX = 160;
export const KEY_ATTRIBUTES = ['color', 'size', 'material', 'gender', 'ageGroup'] as const;
/** A title where more than this share of characters is punctuation or symbols reads as spam. */
export const TITLE_PUNCTUATION_MAX_SHARE = 0.15;
/** This many punctuation characters in a row ("!!!", "***") is stuffing, whatever the share. */
export const TITLE_PUNCTUATION_MAX_RUN = 3;
/** Separator of category levels in silver (see docs/normalize.md#2-standardize). */
export const CATEGORY_SEPARATOR = ' > ';
