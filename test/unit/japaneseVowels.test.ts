import { describe, expect, it } from 'vitest';
import { parseUeaTs, standardizer } from '../../src/data/japaneseVowels.js';
import { loadJapaneseVowels } from '../../src/node/loadJapaneseVowels.js';

const TINY = [
  '# a comment',
  '@problemName Tiny',
  '@dimensions 2',
  '@classLabel true a b c',
  '@data',
  // 3 real steps, then two padding steps where both channels are 0 -> length 3.
  // The zero at step 2 of channel 2 is real data (channel 1 is non-zero there).
  '1,2,3,0,0:4,0,6,0.0,0:b',
  '',
  '7,8:9,10:a',
  // Only the last step is all-zero (channel 1 ends in 0 one step earlier, but channel 2 does not).
  '1,0,0:2,5,0:b',
].join('\n');

describe('parseUeaTs', () => {
  it('parses a tiny file, stores [T, C] row-major and strips trailing all-zero steps', () => {
    const d = parseUeaTs(TINY);
    expect(d.channels).toBe(2);
    expect(d.classNames).toEqual(['a', 'b', 'c']);
    expect(d.labels).toEqual([1, 0, 1]);
    expect(d.lengths).toEqual([3, 2, 2]);
    expect(Array.from(d.sequences[0])).toEqual([1, 4, 2, 0, 3, 6]);
    expect(Array.from(d.sequences[1])).toEqual([7, 9, 8, 10]);
    expect(Array.from(d.sequences[2])).toEqual([1, 2, 0, 5]);
  });

  it('sorts undeclared labels numerically', () => {
    const d = parseUeaTs('@data\n1:10\n2:9\n3:2\n');
    expect(d.classNames).toEqual(['2', '9', '10']);
    expect(d.labels).toEqual([2, 1, 0]);
    expect(d.channels).toBe(1);
  });

  it('reports the line number and what was expected on malformed lines', () => {
    expect(() => parseUeaTs(TINY + '\n1,2,x:3,4,5:a')).toThrow(/line 10: channel 1, value 3: expected a finite number, got "x"/);
    expect(() => parseUeaTs('@dimensions 2\n@data\n1,2:3,4:a\n1,2:a')).toThrow(/line 4: expected 2 channels/);
    expect(() => parseUeaTs('@data\n1,2:3:a')).toThrow(/line 2: channel 2 has 1 values but channel 1 has 2/);
    expect(() => parseUeaTs('@data\n1,2,3')).toThrow(/line 2: .*no ":" separator/);
    expect(() => parseUeaTs('@data\n1,2:')).toThrow(/line 2: expected a class label/);
    expect(() => parseUeaTs('hello\n@data')).toThrow(/line 1: expected a header line/);
    expect(() => parseUeaTs('@data\n0,0:0,0:a')).toThrow(/line 2: sequence is all zeros/);
    expect(() => parseUeaTs('@classLabel true a\n@data\n1:z')).toThrow(/"z".*not declared/);
    expect(() => parseUeaTs('# nothing')).toThrow(/no "@data"/);
  });
});

describe('Japanese Vowels data set', () => {
  const { train, test } = loadJapaneseVowels();

  it('has the published sizes', () => {
    expect(train.sequences.length).toBe(270);
    expect(test.sequences.length).toBe(370);
    expect(train.channels).toBe(12);
    expect(test.channels).toBe(12);
    expect(train.classNames).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(test.classNames).toEqual(train.classNames);
  });

  it('has 30 training sequences per class and labels in range', () => {
    const counts = new Array(9).fill(0);
    for (const l of train.labels) counts[l]++;
    expect(counts).toEqual(new Array(9).fill(30));
    for (const l of test.labels) expect(l >= 0 && l < 9).toBe(true);
    expect(new Set(test.labels).size).toBe(9);
  });

  it('has lengths between 7 and 29 that match the stored arrays, with no trailing all-zero step', () => {
    for (const split of [train, test]) {
      const min = Math.min(...split.lengths);
      const max = Math.max(...split.lengths);
      expect(min).toBe(7);
      expect(max).toBeLessThanOrEqual(29);
      split.sequences.forEach((seq, i) => {
        const T = split.lengths[i];
        expect(seq.length).toBe(T * 12);
        const last = Array.from(seq.subarray((T - 1) * 12, T * 12));
        expect(last.some((v) => v !== 0)).toBe(true);
      });
    }
    expect(Math.max(...test.lengths)).toBe(29);
  });

  it('stores the first training sequence time-major', () => {
    // First line of the TRAIN file: channel 1 starts 1.860936, 1.891651; channel 2 starts -0.207383.
    const s = train.sequences[0];
    expect(train.lengths[0]).toBe(20);
    expect(s[0]).toBeCloseTo(1.860936, 5);
    expect(s[1]).toBeCloseTo(-0.207383, 5);
    expect(s[12]).toBeCloseTo(1.891651, 5);
    expect(train.labels[0]).toBe(0);
  });
});

describe('standardizer', () => {
  it('gives zero mean and unit std per channel on the data it was fitted on', () => {
    const { train } = loadJapaneseVowels();
    const st = standardizer(train.sequences, train.channels);
    expect(st.mean.length).toBe(12);
    expect(st.std.length).toBe(12);
    const sum = new Float64Array(12);
    const sq = new Float64Array(12);
    let n = 0;
    for (const seq of train.sequences) {
      const z = st.apply(seq);
      expect(z.length).toBe(seq.length);
      for (let k = 0; k < z.length; k++) {
        sum[k % 12] += z[k];
        sq[k % 12] += z[k] * z[k];
      }
      n += z.length / 12;
    }
    for (let c = 0; c < 12; c++) {
      expect(sum[c] / n).toBeCloseTo(0, 4);
      expect(sq[c] / n).toBeCloseTo(1, 4);
    }
  });

  it('computes known values, leaves the input alone and guards zero spread', () => {
    // Two channels: channel 0 = [1, 3, 5] (mean 3, population std sqrt(8/3)), channel 1 constant 2.
    const a = new Float32Array([1, 2, 3, 2]);
    const b = new Float32Array([5, 2]);
    const st = standardizer([a, b], 2);
    expect(st.mean[0]).toBeCloseTo(3, 6);
    expect(st.mean[1]).toBeCloseTo(2, 6);
    expect(st.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 6);
    expect(st.std[1]).toBe(1);
    const z = st.apply(b);
    expect(z[0]).toBeCloseTo(2 / Math.sqrt(8 / 3), 5);
    expect(z[1]).toBe(0);
    expect(Array.from(b)).toEqual([5, 2]);
    expect(() => st.apply(new Float32Array(3))).toThrow(/multiple of 2/);
    expect(() => standardizer([new Float32Array(3)], 2)).toThrow(/sequence 0/);
  });
});
