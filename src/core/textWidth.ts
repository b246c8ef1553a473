// How wide a text shows in a fixed-width column (a console table, an Excel column): a CJK character takes
// two places, anything else one.
export const textWidth = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
