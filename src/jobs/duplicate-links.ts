// A batch's duplicate links, in two halves: what they are read from (`readLinkFacts`, the
// catalog's index and the stored links of earlier products) and the pure decision over those
// facts (`decideLinks`). Between them the caller may lay over the facts what batches not yet
// committed will write, to decide a batch early, then check the facts again once they are.
import { findDuplicate, findDuplicateWithKey, gtinVetoes, reasonOfKey, type DuplicateRef } from '../silver/duplicates.js';
import type { Db } from '../store/catalog.js';
import { earliestByKey, gtinKeys, storedLinks, type SharedKeys } from '../store/silver.js';
import { similarTargets } from '../store/similar.js';
import { notCurrent } from '../store/stale-silver.js';
import { notDuplicatePair, silverConfigHash, type DuplicateLink, type NormalizeSettings } from './tasks.js';

export interface LinkedProduct {
  seq: number;
  id: string;
  keys: string[];
}

/** The part of the facts that committing earlier batches changes: their links and whether their silver is current. */
export interface SettledFacts {
  /** The stored link (to the root of its group) of each candidate that has one. */
  stored: Map<number, DuplicateRef>;
  /** Candidates whose silver is not current: a link found through one of them may still move. */
  unsettled: Set<number>;
}

export interface LinkFacts extends SettledFacts {
  earliest: Map<string, DuplicateRef>;
  similar: Map<number, DuplicateRef & { score: number }>;
  /** Every earlier product a link of the batch may go to. */
  candidateSeqs: number[];
  gtins: Map<number, string>;
}

export interface BatchLinks {
  links: Map<number, DuplicateLink>;
  /** Products whose link went through an earlier product whose silver is not current (out of this run's scope), so it may still move. */
  provisional: number[];
  /** Each product's link as stored once written (null: none). */
  resolved: Map<number, DuplicateRef | null>;
}

type Settings = Pick<NormalizeSettings, 'configHash' | 'notDuplicates'>;

export function readLinkFacts(db: Db, products: LinkedProduct[], settings: Settings, shared?: SharedKeys): LinkFacts {
  let earliest: Map<string, DuplicateRef>;
  if (shared) {
    earliest = new Map();
    for (const product of products)
      for (const key of product.keys) {
        const ref = shared.earliest.get(key);
        if (ref) earliest.set(key, ref);
      }
  } else
    earliest = earliestByKey(
      db,
      products.flatMap((p) => p.keys),
    );
  const similar = similarTargets(
    db,
    products.map((p) => p.seq),
  );
  const candidates = new Set<number>();
  for (const ref of earliest.values()) candidates.add(ref.seq);
  for (const ref of similar.values()) candidates.add(ref.seq);
  const candidateSeqs = [...candidates];
  const gtins = shared?.gtins ?? gtinKeys(db, candidateSeqs);
  return { earliest, similar, candidateSeqs, gtins, ...readSettledFacts(db, candidateSeqs, settings) };
}

export function readSettledFacts(db: Db, candidateSeqs: number[], settings: Settings): SettledFacts {
  const { configHash } = settings;
  return {
    stored: storedLinks(db, candidateSeqs),
    unsettled: candidateSeqs.length > 0 ? notCurrent(db, candidateSeqs, [configHash, silverConfigHash(configHash, true)]) : new Set<number>(),
  };
}

/** The facts as they will read once these batches, decided but not committed, are written. */
export function layOver(facts: LinkFacts, pending: Iterable<Pick<BatchLinks, 'resolved' | 'provisional'>>): void {
  for (const batch of pending) {
    const provisional = new Set(batch.provisional);
    for (const seq of facts.candidateSeqs) {
      if (!batch.resolved.has(seq)) continue;
      const ref = batch.resolved.get(seq);
      if (ref) facts.stored.set(seq, ref);
      else facts.stored.delete(seq);
      if (provisional.has(seq)) facts.unsettled.add(seq);
      else facts.unsettled.delete(seq);
    }
  }
}

/**
 * Each product's duplicate link: the earliest product sharing a key, followed to its root.
 * Products of the batch are followed through the links decided for them here.
 */
export function decideLinks(products: LinkedProduct[], facts: LinkFacts, settings: Settings): BatchLinks {
  const { earliest, similar, stored, gtins, unsettled } = facts;
  const { notDuplicates } = settings;
  const overruled = (a: string, b: string) => notDuplicates.size > 0 && notDuplicates.has(notDuplicatePair(a, b));
  // null for a product of this batch found to be canonical: its stored link is out of date.
  const resolved = new Map<number, DuplicateRef | null>();
  const provisional = new Set<number>();
  const reasons = new Map<number, Pick<DuplicateLink, 'reason' | 'value'>>();
  for (const product of products) {
    const candidates = new Map<string, DuplicateRef[]>();
    const ownGtin = product.keys.find((key) => key.startsWith('g:'));
    for (const key of product.keys) {
      const ref = earliest.get(key);
      // Two products with different valid GTINs are different products, whatever key they share.
      if (ref && !gtinVetoes(key, ownGtin, gtins.get(ref.seq)) && !overruled(product.id, ref.id)) candidates.set(key, [ref]);
    }
    const like = similar.get(product.seq);
    // GTINs that differ were vetoed by the similarity pass itself, which marks the changes it makes.
    if (like && !overruled(product.id, like.id)) candidates.set(`i:|${like.score.toFixed(2)}`, [{ id: like.id, seq: like.seq }]);
    const direct = findDuplicate(product.seq, candidates);
    const found = findDuplicateWithKey(product.seq, candidates, (ref) => (resolved.has(ref.seq) ? resolved.get(ref.seq) : stored.get(ref.seq)) ?? null);
    if (direct && (resolved.has(direct.seq) ? provisional.has(direct.seq) : unsettled.has(direct.seq))) provisional.add(product.seq);
    // A link the user overruled stays out also when it is reached through another product.
    const kept = found && !overruled(product.id, found.id) ? found : null;
    resolved.set(product.seq, kept && { id: kept.id, seq: kept.seq });
    if (kept) reasons.set(product.seq, reasonOfKey(kept.key));
  }
  const links = new Map<number, DuplicateLink>();
  for (const [seq, ref] of resolved) if (ref) links.set(seq, { id: ref.id, ...reasons.get(seq)! });
  return { links, provisional: [...provisional], resolved };
}

export function sameSettledFacts(a: SettledFacts, b: SettledFacts): boolean {
  if (a.stored.size !== b.stored.size || a.unsettled.size !== b.unsettled.size) return false;
  for (const [seq, ref] of a.stored) {
    const other = b.stored.get(seq);
    if (!other || other.seq !== ref.seq || other.id !== ref.id) return false;
  }
  for (const seq of a.unsettled) if (!b.unsettled.has(seq)) return false;
  return true;
}

/** Whether two decisions write the same silver (links and their reasons) and leave the same products stale. */
export function sameLinks(a: BatchLinks, b: BatchLinks): boolean {
  if (a.links.size !== b.links.size || a.provisional.length !== b.provisional.length) return false;
  for (const [seq, link] of a.links) {
    const other = b.links.get(seq);
    if (!other || other.id !== link.id || other.reason !== link.reason || other.value !== link.value) return false;
  }
  return a.provisional.every((seq, i) => b.provisional[i] === seq);
}
