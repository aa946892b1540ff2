// Property names the provider itself puts into inputs and state, beside the object's fields.

/** Where Pulumi keeps the serialized provider (the shim) in every dynamic resource's state. */
export const PROVIDER_FIELD = "__provider";

/** The resource's identity (project/stack/type/name), from which creates derive their Idempotency-Key. */
export const CREATE_KEY_FIELD = "__createKey";

/** Inputs about the lifecycle, not the object: they never reach the API. */
export const LIFECYCLE_FIELDS = ["deletionPolicy", "adoptId", "sourceFile", CREATE_KEY_FIELD] as const;

/**
 * The `serverDefault` fields the program left unset (a skill's name, a vault's credentials): the
 * server's value is state, not an input, so a refresh must not hand it back as one (Pulumi would
 * show `[diff: +name]` on every refresh of an unchanged object).
 */
export const UNSET_DEFAULTS_FIELD = "__serverDefaults";
