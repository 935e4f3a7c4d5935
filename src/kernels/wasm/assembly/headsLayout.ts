// Moving attention's arrays between heads last, [B, rows, heads, cols] (a projection's output as it is), and the
// attention kernel's padded heads-first layout, [B·heads, rowsP, colsP] (rows and columns zero padded), inside
// memory: the host copies a heads-last array in (or out) in one piece and these kernels move its rows, a range of
// groups g = b·heads + h at a time (every group's rows are its own, so threads may split the groups any way).

/** dst[g, r, 0:colsP] = src[b, r, h, 0:cols] then zeros, for r < rows; zero rows for rows ≤ r < rowsP; groups [first, end). */
export function headsLastToPadded(src: usize, dst: usize, heads: i32, rows: i32, cols: i32, rowsP: i32, colsP: i32, first: i32, end: i32): void {
  const rowBytes = <usize>cols << 2, padBytes = <usize>(colsP - cols) << 2, stride = <usize>(heads * cols) << 2;
  for (let g = first; g < end; g++) {
    const b = g / heads, h = g - b * heads;
    let from = src + ((<usize>(b * rows * heads + h) * cols) << 2);
    let to = dst + ((<usize>g * rowsP * colsP) << 2);
    for (let r = 0; r < rows; r++) {
      memory.copy(to, from, rowBytes);
      if (padBytes) memory.fill(to + rowBytes, 0, padBytes);
      from += stride;
      to += rowBytes + padBytes;
    }
    if (rowsP > rows) memory.fill(to, 0, <usize>((rowsP - rows) * colsP) << 2);
  }
}

/** The inverse: dst[b, r, h, 0:cols] = src[g, r, 0:cols] for r < rows, groups [first, end). */
export function paddedToHeadsLast(src: usize, dst: usize, heads: i32, rows: i32, cols: i32, rowsP: i32, colsP: i32, first: i32, end: i32): void {
  const rowBytes = <usize>cols << 2, stride = <usize>(heads * cols) << 2;
  for (let g = first; g < end; g++) {
    const b = g / heads, h = g - b * heads;
    let from = src + ((<usize>g * rowsP * colsP) << 2);
    let to = dst + ((<usize>(b * rows * heads + h) * cols) << 2);
    for (let r = 0; r < rows; r++) {
      memory.copy(to, from, rowBytes);
      from += <usize>colsP << 2;
      to += stride;
    }
  }
}
