/** Twenty members at most: a conversation, not a mailing list. */
export const MAX_MEMBERS = 20;
/** Contact requests one member may send in a day. */
export const DAILY_REQUESTS = 10;
/** A report's reason, in characters. */
export const MAX_REASON = 1000;
