// Field mappers built from Fiwano data (filled in by the operations that need them).
export {};
