/**
 * How many of a batch's products the main thread assembles itself, beside the worker thread. It
 * writes a batch while the worker assembles the next, then waits for the worker when the worker
 * is the slower: taking the batch's last products itself shares that wait out. After each batch
 * the share moves by half of what would have made both parts end together, within 5 to 75%.
 */
export function createShare() {
  let share = 0.2;
  let size = 0;
  return {
    hereOf(length: number): number {
      size = length;
      return Math.round(share * length);
    },
    /** `waited`: ms the main thread waited for the worker after its own part (negative: the worker was done first). */
    record(waited: number, msPerRowHere: number, msPerRowThere: number) {
      const perRow = msPerRowHere + msPerRowThere;
      if (!(perRow > 0) || size === 0) return;
      share = Math.min(0.75, Math.max(0.05, share + (0.5 * waited) / perRow / size));
    },
  };
}
