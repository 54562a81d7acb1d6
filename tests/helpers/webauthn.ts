import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A software authenticator for the tests (issue 20's passkeys), written from
 * the WebAuthn Level 2 spec with node:crypto — not from the library under
 * test: an ES256 (P-256) key per credential, authenticator data as §6.1 lays
 * it out, "none" attestation (§8.7) in CBOR (RFC 8949), client data JSON as
 * a browser makes it (§5.8.1), and assertion signatures over
 * authenticatorData || SHA-256(clientDataJSON) (§6.3.3).
 */

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

// --- A minimal CBOR encoder: unsigned and negative integers, byte and text strings, maps. ---

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

// --- Flags of the authenticator data (§6.1). ---
export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_AT = 0x40;

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  /** COSE_Key of the public key (RFC 8152 §13.1.1: kty EC2, alg ES256, crv P-256, x, y). */
  cose: Buffer;
  userHandle: string;
  signCount: number;
}

export interface CeremonyOptions {
  /** The origin the "browser" says it is at; default: the authenticator's. */
  origin?: string;
  /** The RP ID whose hash goes in the authenticator data; default: the options' (or the authenticator's). */
  rpId?: string;
  /** Authenticator data flags; default UP|UV (|AT at registration). */
  flags?: number;
  /** A challenge other than the options' (one of another browser, an old one). */
  challenge?: string;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    readonly rpId = new URL(origin).hostname,
  ) {}

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
  }

  private authData(rpId: string, flags: number, signCount: number, attested?: SoftCredential): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(signCount >>> 0);
    const parts: Buffer[] = [createHash("sha256").update(rpId).digest(), Buffer.from([flags]), count];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(attested.id.length);
      parts.push(Buffer.alloc(16), length, attested.id, attested.cose);
    }
    return Buffer.concat(parts);
  }

  /** navigator.credentials.create(): a new discoverable credential, answered as SimpleWebAuthn's browser side posts it. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, ceremony: CeremonyOptions & { reuse?: SoftCredential } = {}) {
    if (ceremony.reuse) return this.attest(ceremony.reuse, options, ceremony);
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const credential: SoftCredential = { id: randomBytes(32), privateKey, cose, userHandle: options.user.id, signCount: 0 };
    this.credentials.push(credential);
    return this.attest(credential, options, ceremony);
  }

  /** The registration answer for a credential (a new one, or one already made: an authenticator registered twice). */
  private attest(credential: SoftCredential, options: { challenge: string; rp: { id?: string } }, ceremony: CeremonyOptions) {
    const clientDataJSON = this.clientData("webauthn.create", ceremony.challenge ?? options.challenge, ceremony.origin ?? this.origin);
    const authData = this.authData(ceremony.rpId ?? options.rp.id ?? this.rpId, ceremony.flags ?? FLAG_UP | FLAG_UV | FLAG_AT, 0, credential);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    return {
      credential,
      response: {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: "public-key",
        response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["internal"] },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      },
    };
  }

  /**
   * navigator.credentials.get() with this credential: the counter goes up by
   * one each time unless `signCount` says otherwise (a cloned key's).
   */
  assert(
    credential: SoftCredential,
    options: { challenge: string; rpId?: string },
    ceremony: CeremonyOptions & { signCount?: number } = {},
  ) {
    const signCount = ceremony.signCount ?? ++credential.signCount;
    const clientDataJSON = this.clientData("webauthn.get", ceremony.challenge ?? options.challenge, ceremony.origin ?? this.origin);
    const authenticatorData = this.authData(ceremony.rpId ?? options.rpId ?? this.rpId, ceremony.flags ?? FLAG_UP | FLAG_UV, signCount);
    const signature = sign("sha256", Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
