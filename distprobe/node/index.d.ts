export * from "../index.js";
export { trainNet } from "./trainNet.js";
export { TerminalProgress } from "./terminalProgress.js";
export { saveNet, loadNet } from "./saveNet.js";
export { loadJapaneseVowels } from "./loadJapaneseVowels.js";
