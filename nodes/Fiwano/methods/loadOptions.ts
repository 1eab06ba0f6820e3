// Options loaded from Fiwano for option fields (filled in by the operations that need them).
export {};
