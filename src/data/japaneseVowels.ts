/**
 * Loader for the Japanese Vowels speaker-identification data set in the UEA/sktime `.ts` format
 * (see data/japanese-vowels/README.md for the format and the citation).
 *
 * Browser-clean: it parses text; reading the files is the Node entry's loadJapaneseVowels (src/node/).
 */
import { Tensor } from '../tensor/tensor.js';
import { quoteShort } from '../util/text.js';

/** A parsed `.ts` file: variable-length multichannel sequences with integer class labels. */
export interface UeaDataset {
  /** One entry per sequence, row-major `[T, C]` (time-major, channels last), padding stripped. */
  sequences: Float32Array[];
  /** `lengths[i]` = number of time steps T of `sequences[i]` (so `sequences[i].length === T * channels`). */
  lengths: number[];
  /** Number of channels C (12 for Japanese Vowels). */
  channels: number;
  /** 0-based class index per sequence, indexing into `classNames`. */
  labels: number[];
  /** Label strings in sorted order (numeric-aware, so "2" < "10"). */
  classNames: string[];
  /** The sequences as `[T, C]` tensors sharing `sequences`' data: `trainNet(net, { x: split.x, y: split.labels })`. */
  x: Tensor[];
}

/** One split (train or test) of the data set. */
export type Split = UeaDataset;

/** Per-channel standardisation fitted on a set of sequences. */
export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
  /** Returns a new `[T, C]` array with `(x - mean[c]) / std[c]` per channel; the input is not modified. */
  apply(seq: Float32Array): Float32Array;
}

/** Numeric-aware ordering: numbers compare by value, anything else falls back to string order. */
function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNum = a.trim() !== '' && Number.isFinite(na);
  const bNum = b.trim() !== '' && Number.isFinite(nb);
  if (aNum && bNum && na !== nb) return na - nb;
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseError(lineNo: number, message: string): Error {
  return new Error(`UEA .ts parse error at line ${lineNo}: ${message}`);
}

interface Header {
  dimensions?: number;
  declaredLabels?: string[];
}

/** Reads one `@key value...` header line into `header`; rejects features this parser does not support. */
function parseHeaderLine(line: string, lineNo: number, header: Header): void {
  const parts = line.slice(1).trim().split(/\s+/);
  const key = parts[0].toLowerCase();
  const args = parts.slice(1);
  switch (key) {
    case 'dimensions': {
      const d = Number(args[0]);
      if (!Number.isInteger(d) || d < 1) {
        throw parseError(lineNo, `expected a positive integer after @dimensions, got ${quoteShort(args[0] ?? '')}`);
      }
      header.dimensions = d;
      break;
    }
    case 'classlabel':
      if (args[0]?.toLowerCase() !== 'true') {
        throw parseError(lineNo, 'only labelled data is supported (expected "@classLabel true ...")');
      }
      if (args.length > 1) header.declaredLabels = args.slice(1);
      break;
    case 'timestamps':
      if (args[0]?.toLowerCase() === 'true') {
        throw parseError(lineNo, '"@timeStamps true" is not supported (expected plain comma-separated values)');
      }
      break;
    default:
      // @problemName, @missing, @univariate, @equalLength, ... carry no information we need.
      break;
  }
}

/** Parses one comma-separated channel; every entry must be a finite number. */
function parseChannel(text: string, lineNo: number, channel: number): number[] {
  const fields = text.split(',');
  const out = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i].trim();
    const v = f === '' ? NaN : Number(f);
    if (!Number.isFinite(v)) {
      throw parseError(lineNo, `channel ${channel + 1}, value ${i + 1}: expected a finite number, got ${quoteShort(fields[i])}`);
    }
    out[i] = v;
  }
  return out;
}

interface RawSequence {
  data: Float32Array;
  length: number;
  label: string;
}

/** Parses one data line `c1:c2:...:cC:label` into a stripped `[T, C]` sequence. */
function parseDataLine(line: string, lineNo: number, expectedChannels: number | undefined): RawSequence {
  const parts = line.split(':');
  if (parts.length < 2) {
    throw parseError(lineNo, 'expected "<channel>:...:<channel>:<label>" (no ":" separator found)');
  }
  const label = parts[parts.length - 1].trim();
  if (label === '') throw parseError(lineNo, 'expected a class label after the last ":"');
  const channelTexts = parts.slice(0, -1);
  const C = channelTexts.length;
  if (expectedChannels !== undefined && C !== expectedChannels) {
    throw parseError(lineNo, `expected ${expectedChannels} channels separated by ":", got ${C}`);
  }
  const cols = channelTexts.map((t, c) => parseChannel(t, lineNo, c));
  const T = cols[0].length;
  for (let c = 1; c < C; c++) {
    if (cols[c].length !== T) {
      throw parseError(lineNo, `channel ${c + 1} has ${cols[c].length} values but channel 1 has ${T}`);
    }
  }
  // True length: one past the last time step where at least one channel is non-zero.
  let length = T;
  while (length > 0 && cols.every((col) => col[length - 1] === 0)) length--;
  if (length === 0) throw parseError(lineNo, 'sequence is all zeros (empty after stripping padding)');

  const data = new Float32Array(length * C);
  for (let t = 0; t < length; t++) {
    for (let c = 0; c < C; c++) data[t * C + c] = cols[c][t];
  }
  return { data, length, label };
}

/**
 * Parses the text of a UEA `.ts` file. Comment lines start with `#`, header lines with `@`; after
 * `@data` each non-empty line is one sequence `c1:...:cC:label`, each channel a comma list. Trailing
 * time steps where every channel is exactly zero are treated as padding and removed.
 * Throws an Error naming the line number on malformed input.
 */
export function parseUeaTs(text: string): UeaDataset {
  const lines = text.split(/\r?\n/);
  const header: Header = {};
  const raw: RawSequence[] = [];
  let inData = false;
  let channels: number | undefined;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!inData) {
      if (!line.startsWith('@')) {
        throw parseError(lineNo, `expected a header line starting with "@" or a "#" comment before @data, got ${quoteShort(line, 40)}`);
      }
      if (line.toLowerCase() === '@data') inData = true;
      else parseHeaderLine(line, lineNo, header);
      continue;
    }
    if (line.startsWith('@')) throw parseError(lineNo, `unexpected header line after @data: ${quoteShort(line, 40)}`);
    const seq = parseDataLine(line, lineNo, channels ?? header.dimensions);
    channels = seq.data.length / seq.length;
    raw.push(seq);
  }

  if (!inData) throw new Error('UEA .ts parse error: no "@data" line found');
  if (raw.length === 0 || channels === undefined) throw new Error('UEA .ts parse error: no sequences after @data');

  const seen = [...new Set(raw.map((r) => r.label))];
  let classNames: string[];
  if (header.declaredLabels) {
    // Prefer the declared label set so that train and test files map labels to the same indices.
    classNames = [...new Set(header.declaredLabels)].sort(compareLabels);
    const unknown = seen.filter((l) => !classNames.includes(l));
    if (unknown.length > 0) {
      throw new Error(`UEA .ts parse error: labels ${unknown.map((l) => quoteShort(l)).join(", ")} are not declared in @classLabel`);
    }
  } else {
    classNames = seen.sort(compareLabels);
  }
  const index = new Map(classNames.map((name, k) => [name, k]));

  return {
    sequences: raw.map((r) => r.data),
    lengths: raw.map((r) => r.length),
    x: raw.map((r) => new Tensor(r.data, [r.length, channels!])),
    channels,
    labels: raw.map((r) => index.get(r.label)!),
    classNames,
  };
}

/**
 * Builds the train and test splits from the texts of `JapaneseVowels_TRAIN.ts` and `JapaneseVowels_TEST.ts`
 * (in a browser: fetched or bundled; in Node, `loadJapaneseVowels()` of the Node entry reads the copy the
 * package ships). Checks that both splits have the same channels and classes.
 */
export function japaneseVowelsFromText(trainText: string, testText: string): { train: Split; test: Split } {
  const parse = (text: string, file: string) => {
    try {
      return parseUeaTs(text);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  };
  return checkSplits(parse(trainText, 'JapaneseVowels_TRAIN.ts'), parse(testText, 'JapaneseVowels_TEST.ts'));
}

/** The two splits must agree on channels and class names. */
export function checkSplits(train: Split, test: Split): { train: Split; test: Split } {
  if (train.channels !== test.channels) {
    throw new Error(`Japanese Vowels: train has ${train.channels} channels but test has ${test.channels}`);
  }
  if (train.classNames.join('\u0000') !== test.classNames.join('\u0000')) {
    throw new Error(
      `Japanese Vowels: train classes ${JSON.stringify(train.classNames)} differ from test classes ${JSON.stringify(test.classNames)}`,
    );
  }
  return { train, test };
}

/**
 * Fits per-channel mean and (population) standard deviation over every time step of every sequence
 * (sequences are `[T, C]` row-major, already stripped of padding). A channel with zero spread gets
 * std 1 so that `apply` never divides by zero.
 */
export function standardizer(sequences: Float32Array[], channels: number): Standardizer {
  if (!Number.isInteger(channels) || channels < 1) throw new Error(`standardizer: channels must be a positive integer, got ${channels}`);
  const sum = new Float64Array(channels);
  let steps = 0;
  for (const [i, seq] of sequences.entries()) {
    if (seq.length % channels !== 0) {
      throw new Error(`standardizer: sequence ${i} has length ${seq.length}, not a multiple of ${channels} channels`);
    }
    for (let k = 0; k < seq.length; k++) sum[k % channels] += seq[k];
    steps += seq.length / channels;
  }
  if (steps === 0) throw new Error('standardizer: no time steps to fit on');

  // Two passes (mean first, then squared deviations) for numerical stability.
  const mean = new Float64Array(channels);
  for (let c = 0; c < channels; c++) mean[c] = sum[c] / steps;
  const sq = new Float64Array(channels);
  for (const seq of sequences) {
    for (let k = 0; k < seq.length; k++) {
      const d = seq[k] - mean[k % channels];
      sq[k % channels] += d * d;
    }
  }
  const std = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = Math.sqrt(sq[c] / steps);
    std[c] = s > 0 ? s : 1;
  }

  const mean32 = Float32Array.from(mean);
  const std32 = Float32Array.from(std);
  return {
    mean: mean32,
    std: std32,
    apply(seq: Float32Array): Float32Array {
      if (seq.length % channels !== 0) {
        throw new Error(`standardizer.apply: length ${seq.length} is not a multiple of ${channels} channels`);
      }
      const out = new Float32Array(seq.length);
      for (let k = 0; k < seq.length; k++) {
        const c = k % channels;
        out[k] = (seq[k] - mean[c]) / std[c];
      }
      return out;
    },
  };
}
