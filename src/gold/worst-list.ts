/** Counts every item but keeps only the `limit` lowest-ranked ids, so memory stays bounded. */
export interface WorstList {
  add(id: string, rank: number): void;
  ids(): string[];
  readonly count: number;
}

export function createWorstList(limit: number): WorstList {
  const kept: { id: string; rank: number }[] = [];
  let count = 0;
  return {
    add(id, rank) {
      count++;
      if (limit <= 0) return;
      if (kept.length === limit && rank >= kept[kept.length - 1].rank) return;
      // Insert after equal ranks, so ties keep stream order.
      let at = kept.length;
      while (at > 0 && kept[at - 1].rank > rank) at--;
      kept.splice(at, 0, { id, rank });
      if (kept.length > limit) kept.pop();
    },
    ids: () => kept.map((item) => item.id),
    get count() {
      return count;
    },
  };
}
