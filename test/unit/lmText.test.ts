// The lm job's generated text on the terminal: line breaks kept, every other control character escaped (the model's
// characters come from the user's corpus file).
import { describe, expect, it } from "vitest";
import { printableText } from "../../app/cli/lmJob.js";

describe("printableText", () => {
  it("keeps line breaks and plain text, escapes ESC, C1 and bidi controls and backslashes", () => {
    expect(printableText("In the beginning\nGod created")).toBe("In the beginning\nGod created");
    expect(printableText("a\u001b[2Jb\n\u009bc\u202ed\\")).toBe("a\\u001b[2Jb\n\\u009bc\\u202ed\\\\");
  });
});
