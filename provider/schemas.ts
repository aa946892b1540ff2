// zod building blocks shared by the kinds: the documented limits, stated once.
import { z } from "zod";
import { isUnknown } from "./json";

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

/**
 * A skill name as the skill update accepts it (qoder-api.md §4.4). Create takes any name (or the
 * SKILL.md frontmatter's), so a name outside this rule could be created but never updated: the
 * one rule is checked for the `name` input and the frontmatter alike.
 */
export const SKILL_NAME_RULE = "lowercase letters, digits, - or _, starting with a letter or digit, at most 64 characters";
export const skillName = z
  .string()
  .max(64, `must be ${SKILL_NAME_RULE}`)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, `must be ${SKILL_NAME_RULE}`);

/**
 * A memory entry path: relative and filesystem-like, so it names one entry on every machine.
 * The API only documents "no leading /"; the rest keeps a path from climbing out (`..`),
 * aliasing another (`./x`, `a//b`, `a\\b`) or breaking reports and logs (control characters).
 */
export const MEMORY_PATH_RULE = "a relative path of /-separated names such as notes/team.md";
export const memoryPath = z
  .string()
  .max(1024)
  .superRefine((p, ctx) => {
    const fail = (why: string) => ctx.addIssue({ code: "custom", message: `${why}; must be ${MEMORY_PATH_RULE}` });
    if (!p.trim()) return fail("is blank");
    if (p.startsWith("/")) return fail('must be relative (no leading "/")');
    if (/[\u0000-\u001f\u007f]/.test(p)) return fail("holds a control character (NUL, newline, tab...)");
    if (p.includes("\\")) return fail('holds a backslash (use "/" between names)');
    const parts = p.split("/");
    if (parts.some((s) => s === "")) return fail('has an empty segment ("a//b" or a trailing "/")');
    if (parts.some((s) => s === "." || s === "..")) return fail('has a "." or ".." segment');
  });

export const archivingDeletion = z.enum(["delete", "archive"]).default("archive");
export const deletingDeletion = z.enum(["delete", "archive"]).default("delete");

/**
 * An API id. During preview an id from another resource that is being created or updated is
 * Pulumi's unknown marker: it passes here (check runs again with the real id at apply time), so
 * the rest of the inputs still get their defaults. Otherwise a preview would show defaulted
 * fields (a memory's deletionPolicy, metadata) as going away.
 */
export const idOf = (prefix: string) => {
  const re = new RegExp(`^${prefix}_[0-9a-f]{32}$`);
  return z.string().refine((v) => isUnknown(v) || re.test(v), `must be a ${prefix}_ id (${prefix}_ + 32 lowercase hex)`);
};

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

/**
 * The file a resource comes from (`qoder/agents/reviewer.md`), set by `qoder.Fleet`. A lifecycle
 * input: never sent to the API and never a reason to update; reports (qoder-plan, qoder-drift)
 * name it on every row.
 */
export const sourceFile = z.string().max(4096).optional();
