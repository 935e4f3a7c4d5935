// jax-js uses the iterator helpers (Iterator.prototype.map/filter/toArray) of ES2025; Node 20 lacks them.
// Only what jax-js calls, installed only where missing.
const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

const helpers = {
  *map(f) { let i = 0; for (const x of this) yield f(x, i++); },
  *filter(f) { let i = 0; for (const x of this) if (f(x, i++)) yield x; },
  toArray() { return [...this]; },
};

for (const [name, value] of Object.entries(helpers)) {
  if (!(name in iteratorPrototype)) Object.defineProperty(iteratorPrototype, name, { value, writable: true, configurable: true });
}
