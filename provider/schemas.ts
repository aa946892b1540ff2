// zod building blocks shared by the kinds: the documented limits, stated once.
import { z } from "zod";

// Key limits are checked in a refinement: a record's key schema reports only "Invalid key in
// record" (zod 4), which would hide the rule from the user.
export const metadataSchema = z
  .record(z.string(), z.string().max(512, "metadata values are at most 512 characters"))
  .superRefine((m, ctx) => {
    for (const k of Object.keys(m)) {
      if (!k) ctx.addIssue({ code: "custom", path: [k], message: "metadata keys must not be empty" });
      else if (k.length > 64) ctx.addIssue({ code: "custom", path: [k], message: "metadata keys are at most 64 characters" });
    }
    if (Object.keys(m).length > 16) ctx.addIssue({ code: "custom", message: "metadata holds at most 16 keys" });
  })
  .default({});

export const archivingDeletion = z.enum(["delete", "archive"]).default("archive");
export const deletingDeletion = z.enum(["delete", "archive"]).default("delete");

export const idOf = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{32}$`), `must be a ${prefix}_ id (${prefix}_ + 32 lowercase hex)`);

const HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?:\\*\\.)?${HOST_LABEL}(?:\\.${HOST_LABEL})*$`, "i");
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/** allowed_hosts takes bare hostnames or IPv4 addresses: no scheme, port or path. */
export const bareHost = z
  .string()
  .max(253)
  .refine((h) => IPV4.test(h) || HOSTNAME.test(h), {
    message: "must be a bare hostname or IPv4 address such as api.example.com (no scheme, port or path)",
  });

export const httpsUrl = z.string().url("must be an absolute URL").refine((u) => /^https?:\/\//.test(u), {
  message: "must be an http(s) URL",
});
