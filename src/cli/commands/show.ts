import { UserError } from '../../errors.js';
import { renderShow, showJson } from '../../report/show.js';
import { openCatalog } from '../../store/catalog.js';
import { readProduct, type ProductLayers } from '../../store/show.js';
import { readRubric } from '../../store/gold.js';
import type { Db } from '../../store/catalog.js';
import { createScorer } from '../../gold/score.js';
import { DEFAULT_WEIGHTS } from '../../gold/weights.js';
import { DEFAULT_BANDS } from '../../gold/bands.js';
import type { CheckResult, GoldResult } from '../../gold/types.js';
import type { SilverContext, SilverProduct } from '../../silver/product.js';
import type { CliContext } from '../context.js';

export async function showCommand(flags: { args: [string] }, ctx: CliContext): Promise<number> {
  const id = flags.args[0];
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const product = readProduct(db, id);
    if (!product) throw new UserError('product_not_found', `product not found: '${id}': list ids with 'assay products'`);
    const checks = explain(db, product);
    if (ctx.json) ctx.out(JSON.stringify(showJson(product, checks)));
    else renderShow(product, checks, ctx);
    return 0;
  } finally {
    db.close();
  }
}

/** Every check of the stored score, scored again from the silver layer with the weights that made it. */
function explain(db: Db, product: ProductLayers): CheckResult[] {
  const gold = product.gold?.result as GoldResult | undefined;
  const silver = product.silver;
  if (gold?.status !== 'success' || !silver?.record || !silver.context) return [];
  const rubric = readRubric(db, product.gold!.rubricVersion);
  const weights = rubric?.weights ?? DEFAULT_WEIGHTS;
  const bands = rubric?.bands ?? DEFAULT_BANDS;
  return createScorer(weights, bands, { channel: gold.channel })(silver.record as SilverProduct, silver.context as SilverContext).checks;
}
