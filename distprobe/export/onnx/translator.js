/** Types a translator for one layer class (the table dispatches on kind, so the cast is safe). */
export const onnxTranslator = (f) => f;
