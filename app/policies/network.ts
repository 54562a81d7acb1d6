import type { Actor } from "./space.ts";

/** Network-wide powers belong to network admins alone. */
export const canCreateSpace = (actor: Actor | null) => actor?.isNetworkAdmin === true;
export const canViewAuditLog = (actor: Actor | null) => actor?.isNetworkAdmin === true;
export const canManageAccounts = (actor: Actor | null) => actor?.isNetworkAdmin === true;

/** Reports of conversations, with the messages they carry: the network admins (and nothing else of anyone's conversations). */
export const canHandleReports = (actor: Actor | null) => actor?.isNetworkAdmin === true;
