/**
 * A list shown as consecutive parts (say, scored subscribers by score, then everyone
 * else): which rows of which part make up one page. Pure, so each part can be read by
 * its own index and only the parts a page touches are read at all.
 */
export interface PartSlice {
  /** Index of the part in the list. */
  part: number;
  /** Rows to skip within that part. */
  offset: number;
  limit: number;
}

/** The slices of parts (of the given sizes, in order) that hold rows offset..offset+limit-1 of the whole list. */
export function slicesOf(sizes: readonly number[], offset: number, limit: number): PartSlice[] {
  const slices: PartSlice[] = [];
  let start = 0;
  let want = limit;
  for (let part = 0; part < sizes.length && want > 0; part++) {
    const size = Math.max(0, sizes[part]);
    const end = start + size;
    if (offset + (limit - want) < end) {
      const from = Math.max(0, offset + (limit - want) - start);
      const take = Math.min(want, size - from);
      if (take > 0) {
        slices.push({ part, offset: from, limit: take });
        want -= take;
      }
    }
    start = end;
  }
  return slices;
}
