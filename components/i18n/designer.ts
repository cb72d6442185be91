/**
 * Strings of the designer screens (zh default, en typed against zh). Merged into messages.ts.
 */
export const zh = {
};

export const en: Record<keyof typeof zh, string> = {
};
