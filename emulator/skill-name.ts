import { badRequest } from "./errors";

/**
 * The documented skill-name rule (qoder-api.md §4.4, "Skill name (PUT)"): at most 64 characters
 * of lowercase letters, digits, `-` and `_`, starting with a letter or digit. Create and update
 * both apply it, so a skill that could be created can always be updated under its own name.
 */
export const SKILL_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const SKILL_NAME_MESSAGE = "Skill name must be at most 64 characters of [a-z0-9_-], starting with a letter or digit.";

export const isValidSkillName = (name: unknown): name is string => typeof name === "string" && SKILL_NAME_PATTERN.test(name);

/** `name` when it follows the rule; otherwise the documented 400 with `param: name`. */
export function checkSkillName(name: unknown): string {
  if (!isValidSkillName(name)) throw badRequest(SKILL_NAME_MESSAGE, "name");
  return name;
}
