import { findTotp } from "#db/queries/second-factor.ts";
import { transact } from "#db/transact.ts";
import { actorOf } from "#app/policies/actor.ts";
import { codeAt, stepAt } from "#app/second-factor/codes.server.ts";
import { checkCode, confirmTotpSetup, recordCodeFailure, resetSecondFactor, startTotpSetup } from "#app/second-factor/commands.server.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { at, must, type DemoWorld, type PersonKey } from "./demo-world.ts";

/**
 * Second factors in the demo (issue 20), each through the commands the
 * settings page, the sign-in's code step and the console run, dated over
 * the past weeks. Five members sign in with an authenticator app: the two
 * club admins who hold members' data first (Anne, Karim), then Sophie,
 * Olivier and Camille. Karim, on a train without his phone, typed a wrong
 * code, then used a recovery code (and another one three days ago); Camille
 * used one too. Sophie changed phones without moving her authenticator and
 * had kept her recovery codes on the old one: Claire reset her factor after
 * calling her, and Sophie set a new one up that evening.
 *
 * Never the two demo logins demo.ts prints (Claire, Julien): they sign in
 * with the password alone, and the network's requirement stays off for that
 * reason. Their sign-in times agree with LAST_SIGN_IN_DAYS (demo-admin.ts):
 * a recovery code used at a sign-in is used the day of the last one.
 */

/** Turns a member's authenticator on as the settings page does: a setup started, then confirmed by the app's first code. */
async function enableTotp(world: DemoWorld, key: PersonKey, now: number): Promise<string[]> {
  const user = world.people[key];
  const head = await letterhead();
  // The commands' acting context, as settings.security.tsx builds it (its mail says the factor is on).
  const ctx = { user, actor: actorOf(user), ip: world.ip, now, letterhead: head };
  const confirmed = await transact(world.db, async (trx) => {
    must(`${key}'s authenticator setup`, await startTotpSetup(trx, ctx));
    const totp = await findTotp(trx, user.id);
    if (!totp) throw new Error(`demo: ${key}'s authenticator setup is missing`);
    // The code the member's app shows at that moment (codeAt is for the demo and the server's checks).
    return confirmTotpSetup(trx, ctx, { code: codeAt(new Uint8Array(totp.secret), stepAt(now)) });
  });
  return must(`${key}'s authenticator`, confirmed).recoveryCodes;
}

/** One of the member's recovery codes typed at the sign-in's code step. */
async function useRecoveryCode(world: DemoWorld, key: PersonKey, code: string, now: number) {
  const user = world.people[key];
  must(`${key}'s recovery code`, await transact(world.db, (trx) => checkCode(trx, { ip: world.ip, now }, { user, code, kind: "recovery", purpose: "sign_in" })));
}

export async function seedDemoSecurity(world: DemoWorld) {
  const { db } = world;
  await enableTotp(world, "anne", at(world, 33, 8, 40));
  const karimCodes = await enableTotp(world, "karim", at(world, 30, 19, 10));
  await enableTotp(world, "olivier", at(world, 23, 21, 5));
  await enableTotp(world, "sophie", at(world, 26, 12, 20));
  const camilleCodes = await enableTotp(world, "camille", at(world, 16, 17, 45));

  // Karim's morning train: an old code first (refused, counted in the throttle and audited), then a recovery code.
  const karim = world.people.karim;
  await transact(db, (trx) =>
    recordCodeFailure(trx, { ip: world.ip, now: at(world, 21, 7, 54) }, { user: karim, kind: "totp", reason: "wrong", deviceId: null, purpose: "sign_in" }),
  );
  await useRecoveryCode(world, "karim", karimCodes[0], at(world, 21, 7, 55));
  await useRecoveryCode(world, "karim", karimCodes[1], at(world, 3, 9, 11));
  await useRecoveryCode(world, "camille", camilleCodes[0], at(world, 8, 9, 11));

  // Sophie's new phone: Claire resets her factor (Sophie is told by mail), Sophie sets a new one up that evening.
  const claire = world.people.claire;
  const sophie = world.people.sophie;
  const head = await letterhead();
  must(
    "Sophie's second factor reset",
    await transact(db, (trx) => resetSecondFactor(trx, { user: claire, actor: actorOf(claire), ip: world.ip, now: at(world, 9, 10, 15), letterhead: head }, { userId: sophie.id })),
  );
  await enableTotp(world, "sophie", at(world, 9, 18, 30));
}
