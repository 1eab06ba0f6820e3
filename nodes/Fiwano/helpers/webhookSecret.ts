/**
 * Fiwano stores webhook secrets of at most 64 characters (channels.md "Webhook secret", openapi
 * ChannelUpdateRequest); a secret it generates is 64 hex digits.
 */
export const WEBHOOK_SECRET_MAX = 64;

/** The shortest webhook secret typeVersion 2 accepts: shorter ones are guessable. */
export const WEBHOOK_SECRET_MIN = 16;
