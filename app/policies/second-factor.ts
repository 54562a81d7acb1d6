import type { Actor } from "./actor.ts";

/**
 * Second factors (issue 20). Requiring one of the admins is the network's
 * setting, so its admins'; resetting someone's is the way back for a member
 * who lost every factor, so a network admin's too — but never their own:
 * that would let a stolen admin session drop the factor that guards it.
 */
export const canRequireSecondFactor = (actor: Actor | null) => actor?.isNetworkAdmin === true;

export const canResetSecondFactor = (actor: Actor | null, target: { id: string }) => actor?.isNetworkAdmin === true && actor.id !== target.id;

/** A member the network requires a second factor of may replace theirs (new recovery codes) but not go without. */
export const canTurnOffSecondFactor = (required: boolean) => !required;
