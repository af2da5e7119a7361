/**
 * L2 logistic regression pulled towards a prior, not towards zero: the penalty is on the
 * difference between each standardised coefficient and the prior's. With little history the
 * answer stays near the prior (the weights the store uses now); with a lot of history the
 * data wins. Plain batch gradient descent from the prior: no randomness, same answer each run.
 */
export interface LogisticFit {
  intercept: number;
  beta: Float64Array;
  iterations: number;
}

/**
 * `x` is row-major n x m of standardised features, `y` 0/1. Minimises mean log loss +
 * lambda/2 * |beta - prior|^2 (the intercept is not penalised).
 */
export function fitTowardsPrior(x: Float64Array, y: Float64Array, m: number, prior: Float64Array, lambda: number, maxIter = 3000): LogisticFit {
  const n = y.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const beta = Float64Array.from(prior);
  let b0 = Math.log(Math.max(positives, 0.5) / Math.max(n - positives, 0.5));
  // With standardised features the curvature is at most 0.25 * (m + 1) + lambda: this step converges.
  const step = 1 / (0.25 * (m + 1) + lambda);
  const grad = new Float64Array(m);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    grad.fill(0);
    let g0 = 0;
    for (let i = 0; i < n; i++) {
      const row = i * m;
      let eta = b0;
      for (let u = 0; u < m; u++) eta += beta[u] * x[row + u];
      const r = 1 / (1 + Math.exp(-eta)) - y[i];
      g0 += r;
      for (let u = 0; u < m; u++) grad[u] += r * x[row + u];
    }
    let maxG = Math.abs(g0 / n);
    b0 -= (step * g0) / n;
    for (let u = 0; u < m; u++) {
      const g = grad[u] / n + lambda * (beta[u] - prior[u]);
      beta[u] -= step * g;
      if (Math.abs(g) > maxG) maxG = Math.abs(g);
    }
    if (maxG < 1e-7) break;
  }
  return { intercept: b0, beta, iterations: iter };
}
