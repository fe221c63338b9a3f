import { renderBrandSuggestions } from '../../report/brands.js';
import { brandSides, suggestBrandMerges } from '../../silver/brand-suggest.js';
import { brandSpellings } from '../../store/silver.js';
import { titlesByBrand } from '../../store/brand-titles.js';
import { openCatalog } from '../../store/catalog.js';
import { UserError } from '../../errors.js';
import type { CliContext } from '../context.js';

export async function brandsCommand(flags: { suggest?: boolean }, ctx: CliContext): Promise<number> {
  if (!flags.suggest) throw new UserError('bad_flag', 'assay brands needs --suggest: it lists brand spellings that may be one brand');
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const sides = brandSides(brandSpellings(db));
    const candidates = suggestBrandMerges(sides);
    const titles = titlesByBrand(db, [...new Set(candidates.flatMap((s) => [s.a.key, s.b.key]))]);
    const shared = (a: string, b: string) => [...(titles.get(a) ?? [])].filter((title) => titles.get(b)?.has(title)).length;
    renderBrandSuggestions(suggestBrandMerges(sides, shared), ctx);
    return 0;
  } finally {
    db.close();
  }
}
