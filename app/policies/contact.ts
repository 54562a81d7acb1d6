import type { Listing } from "#db/profile-fields.ts";
import type { ContactPolicy } from "#db/schema.ts";
import { canSeeProfile, type Relation } from "./profile.ts";

/**
 * Who may write to whom (issue 16), as one pure function of the facts
 * between two members. The conversation commands, the profile's "write"
 * button and the contact requests all ask it, so the button cannot offer
 * what the server refuses.
 *
 * Consent comes first: a member who chose "nobody" hears from no one, and a
 * block (either way) ends all contact. Members who share a club may write to
 * each other; anyone else may only ask (a contact request), and only a
 * member who lets the network ask ("network") and whom they can find at all
 * (canSeeProfile). An accepted request lets both write from then on. A
 * declined request looks, to the one who asked, exactly like one still
 * waiting — declining is silent — and so does a block: every refusal reads
 * the same, so no answer tells a member they were blocked.
 */

/** Between the two, the contact request either one sent the other, if any. */
export type ContactRequestState = "none" | "pending" | "accepted" | "declined";

export interface ContactFacts {
  /** The writer's relation to the recipient (app/policies/profile.ts). */
  relation: Relation;
  /** Where the recipient lists their profile: an unfindable member cannot be asked. */
  recipientListing: Listing;
  recipientPolicy: ContactPolicy;
  /** The recipient asked to delete their account (app/accounts/deletion.server.ts): gone from the directory, nobody writes to them. */
  recipientLeaving: boolean;
  /** Whether either has blocked the other. */
  blocked: boolean;
  request: ContactRequestState;
}

/**
 * write: a message goes straight to them; request: the first message is a
 * contact request; wait: a request is already out (or was declined, which
 * the writer is not told); refused: nothing may be sent.
 */
export type ContactAnswer = "write" | "request" | "wait" | "refused";

export function contactAnswer(f: ContactFacts): ContactAnswer {
  if (f.relation === "self" || f.blocked || f.recipientLeaving || f.recipientPolicy === "nobody") return "refused";
  if (f.relation === "club" || f.request === "accepted") return "write";
  if (f.recipientPolicy !== "network" || !canSeeProfile("network", f.recipientListing)) return "refused";
  return f.request === "none" ? "request" : "wait";
}
