/**
 * Average ranks (1-based) of `values` (ties share the mean of their positions, like
 * `scipy.stats.rankdata(method='average')`) plus the size of every tie group.
 */
export function rankAverage(values: readonly number[]): { ranks: number[]; tieGroupSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length).fill(0);
  const tieGroupSizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = r;
    tieGroupSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieGroupSizes };
}
