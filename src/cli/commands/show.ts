import { UserError } from '../../errors.js';
import { renderShow } from '../../report/show.js';
import { openCatalog } from '../../store/catalog.js';
import { readProduct } from '../../store/show.js';
import type { CliContext } from '../context.js';

export async function showCommand(flags: { args: [string] }, ctx: CliContext): Promise<number> {
  const id = flags.args[0];
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    const product = readProduct(db, id);
    if (!product) throw new UserError('product_not_found', `product not found: '${id}': list ids with 'assay products'`);
    if (ctx.json) ctx.out(JSON.stringify({ schemaVersion: 1, product }));
    else renderShow(product, ctx);
    return 0;
  } finally {
    db.close();
  }
}
