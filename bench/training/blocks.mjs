// The bench's transformer blocks, built with the layers of the library under measurement.
/**
 * Adds `blocks` pre-norm blocks  h = x + Attention(LayerNorm(x));  y = h + W₂·gelu(W₁·LayerNorm(h))  after node `x`
 * to a graph's nodes and edges, with the layers of `lib` (the library under measurement); returns the last node.
 */
export function addPreNormBlocks(lib, nodes, edges, x, { blocks, c, heads, ffn, attention = {} }) {
  const { additionLayer, fullyConnectedLayer, geluLayer, layerNormalizationLayer, selfAttentionLayer } = lib;
  for (let b = 1; b <= blocks; b++) {
    Object.assign(nodes, {
      [`norm${b}a`]: layerNormalizationLayer(), [`att${b}`]: selfAttentionLayer(heads, c, attention), [`res${b}a`]: additionLayer(2),
      [`norm${b}b`]: layerNormalizationLayer(), [`fc${b}a`]: fullyConnectedLayer(ffn), [`gelu${b}`]: geluLayer(),
      [`fc${b}b`]: fullyConnectedLayer(c), [`res${b}b`]: additionLayer(2),
    });
    edges.push(
      [x, `norm${b}a`], [`norm${b}a`, `att${b}`], [x, `res${b}a/in1`], [`att${b}`, `res${b}a/in2`],
      [`res${b}a`, `norm${b}b`], [`norm${b}b`, `fc${b}a`], [`fc${b}a`, `gelu${b}`], [`gelu${b}`, `fc${b}b`],
      [`res${b}a`, `res${b}b/in1`], [`fc${b}b`, `res${b}b/in2`],
    );
    x = `res${b}b`;
  }
  return x;
}

