import type { Output } from './output.js';
import type { BrandSuggestion } from '../silver/brand-suggest.js';
import type { BrandSuggestionsJson } from './schemas.js';
import { visible } from './visible.js';

const spelled = (side: BrandSuggestion['a']) => side.spellings.map(([spelling, n]) => `${visible(spelling)} (${n})`).join(', ');

/** The suggestions, each with its evidence and the brand list entry that accepts it. */
export function renderBrandSuggestions(suggestions: BrandSuggestion[], ctx: Output): void {
  if (ctx.json) {
    const doc: BrandSuggestionsJson = { schemaVersion: 1, suggestions };
    ctx.out(JSON.stringify(doc));
    return;
  }
  if (suggestions.length === 0) return ctx.log('no brand spellings look alike enough to suggest');
  for (const s of suggestions) {
    const [keep, other] = s.a.products >= s.b.products ? [s.a, s.b] : [s.b, s.a];
    ctx.out(`${spelled(keep)}  ~  ${spelled(other)}`);
    ctx.out(
      ctx.paint.dim(
        `  ${s.edits} letter${s.edits > 1 ? 's' : ''} apart, ${s.sharedTitles} shared product title${s.sharedTitles === 1 ? '' : 's'}; to merge, add to brands.list:`,
      ),
    );
    ctx.out(ctx.paint.dim(`  ${JSON.stringify({ name: keep.spellings[0][0], aliases: other.spellings.map(([spelling]) => spelling) })}`));
  }
}
