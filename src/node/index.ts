// The Node entry of attention-layers (the "node" export condition): everything of the browser-clean main
// entry, plus what needs Node: files (saveNet/loadNet, loadJapaneseVowels) and progress on the terminal.
export * from "../index.js";
export { trainNet } from "./trainNet.js";
export { TerminalProgress, type ProgressStream } from "./terminalProgress.js";
export { saveNet, loadNet } from "./saveNet.js";
export { loadJapaneseVowels } from "./loadJapaneseVowels.js";
export { writeFileAtomic, writeFileAtomicSync } from "./atomicWrite.js";
export { lockDirectory, DirectoryLockedError } from "./directoryLock.js";
export { readTextFile } from "./regularFile.js";
export { printable } from "../util/text.js";
