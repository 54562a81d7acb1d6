import { z } from "zod";
import { LOCALES } from "#db/schema.ts";
import { emailField } from "#app/utils/validation.ts";

/**
 * The network settings form, read by the page (errors beside each field)
 * and the action alike. The sender's name goes into a mail header: no line
 * breaks or control characters (header injection), no quotes or angle
 * brackets (they end the display name); blank keeps the deployment's
 * MAIL_FROM.
 */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const networkSettingsSchema = z.object({
  name: z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(80, { error: "v.tooLong" }),
  defaultLocale: z.enum(LOCALES, { error: "v.required" }),
  mailFromName: z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(80, { error: "v.tooLong" })
      // eslint-disable-next-line no-control-regex
      .refine((v) => !/[\u0000-\u001f\u007f"<>\\]/.test(v), { error: "admin.network.v.senderName" })
      .nullable()
      .default(null),
  ),
  mailFromAddress: z.preprocess(blankToNull, emailField.nullable().default(null)),
});

export type NetworkSettingsForm = z.output<typeof networkSettingsSchema>;
