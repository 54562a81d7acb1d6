import { findInSpace } from "#db/queries/invitations.ts";
import { transact } from "#db/transact.ts";
import { approveInvitation, coopt, joinWithNewAccount, requestToJoin } from "#app/members/commands.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { letterhead } from "#app/utils/acting.server.ts";
import { actingIn, at, frenchSpacing, must, type DemoWorld } from "./demo-world.ts";

/**
 * Co-optation as members live it, through the membership commands: a
 * newcomer who came in by invitation three weeks ago, a co-optation approved
 * and its link waiting in the newcomer's mailbox, a co-optation and a request
 * to join waiting for an admin, an invitation still open. Their mails go to
 * the outbox as a route's would (the server sends them when SMTP is set).
 */
export async function seedDemoMembers(world: DemoWorld, passwordHash: string) {
  const { db } = world;
  const head = await letterhead();
  // The acting context is read before each transaction opens, as a route reads it.
  const inSpace = async (person: string, space: string, when: number) => ({ ...(await actingIn(world, person, space, when)), letterhead: head });

  const anne = await inSpace("anne", "rh", at(world, 22, 9, 40));
  const helene = must(
    "co-optation of Hélène",
    await transact(db, (trx) =>
      coopt(trx, anne, {
        email: "helene.rousseau@conseil-associes.example",
        role: "member",
        message: frenchSpacing("Hélène accompagne les plans de départs volontaires depuis quinze ans ; elle a beaucoup à partager sur le dialogue social."),
      }),
    ),
  );
  must(
    "Hélène's acceptance",
    await transact(db, async (trx) => {
      const invitation = await findInSpace(trx, world.spaces.rh.id, helene.invitationId);
      if (!invitation) return { ok: false as const, error: "missing" };
      return joinWithNewAccount(trx, { ip: world.ip, now: at(world, 21, 18, 5) }, { invitation, displayName: "Hélène Rousseau", passwordHash, locale: "fr" });
    }),
  );

  const camille = await inSpace("camille", "achats", at(world, 6, 11, 20));
  const lucas = must(
    "co-optation of Lucas",
    await transact(db, (trx) =>
      coopt(trx, camille, {
        email: "lucas.mercier@conseil-associes.example",
        role: "member",
        message: frenchSpacing("Lucas déploie des ERP dans les PME de l'Ouest : le volet achats de ces projets l'intéresse de près."),
      }),
    ),
  );
  const claire = await inSpace("claire", "achats", at(world, 5, 9, 10));
  must("approval of Lucas", await transact(db, (trx) => approveInvitation(trx, claire, { invitationId: lucas.invitationId })));

  const julien = await inSpace("julien", "achats", at(world, 2, 17, 45));
  must(
    "co-optation of Isabelle",
    await transact(db, (trx) =>
      coopt(trx, julien, {
        email: "isabelle.garnier@example.fr",
        role: "member",
        message: frenchSpacing("Isabelle a dirigé les achats indirects d'un groupe agroalimentaire pendant dix ans. Elle apportera beaucoup sur les achats de prestations intellectuelles."),
      }),
    ),
  );

  // Olivier is no member of the club: he asks as himself, from the directory.
  const olivier = {
    user: world.people.olivier,
    actor: actorOf(world.people.olivier),
    membership: undefined,
    space: world.spaces.achats,
    ip: world.ip,
    now: at(world, 1, 8, 30),
    letterhead: head,
  };
  must(
    "Olivier's request to join",
    await transact(db, (trx) =>
      requestToJoin(trx, olivier, { message: frenchSpacing("J'accompagne beaucoup d'acheteurs qui se mettent à leur compte ; j'aimerais suivre vos ateliers.") }),
    ),
  );

  const karim = await inSpace("karim", "lyon", at(world, 3, 14, 0));
  must(
    "invitation to the Lyon circle",
    await transact(db, (trx) =>
      coopt(trx, karim, {
        email: "marc.vidal@example.fr",
        role: "member",
        message: frenchSpacing("Marc rejoint Lyon après dix ans à Grenoble ; il anime déjà un groupe d'acheteurs de la vallée de l'Arve."),
      }),
    ),
  );
}
