import { renderProducts } from '../../report/products.js';
import { openCatalog } from '../../store/catalog.js';
import { queryProducts } from '../../store/products.js';
import type { CliContext } from '../context.js';
import { parseFilters, type FilterFlags } from '../filters.js';
import { DEFAULT_LIMITS } from '../flags.js';

export async function productsCommand(flags: FilterFlags, ctx: CliContext): Promise<number> {
  const filters = parseFilters(flags);
  const db = openCatalog(ctx.dbPath, { mustExist: true });
  try {
    renderProducts(queryProducts(db, { ...filters, limit: filters.limit ?? (ctx.json || !process.stdout.isTTY ? undefined : DEFAULT_LIMITS.products) }), ctx);
    return 0;
  } finally {
    db.close();
  }
}
