/**
 * WGSL for a sum over one workgroup of `threads` (a power of two) threads, in a fixed order (a
 * tree in workgroup memory), so the same inputs give the same bits every run: `reduce(t, v)`
 * returns the sum of every thread's v to every thread. Each calls it in uniform control flow.
 * Shared by the kernels that sum columns or rows (batch-norm.ts, loss.ts).
 */
export const workgroupSum = (threads: number): string => `
var<workgroup> partial: array<f32, ${threads}>;
fn reduce(t: u32, v: f32) -> f32 {
  partial[t] = v;
  workgroupBarrier();
  for (var s = ${threads / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { partial[t] = partial[t] + partial[t + s]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;
