// The one password rule (docs/auth.md, "Password rules"): length in characters, the common list, the email's name.
import { describe, expect, it } from "vitest";
import { passwordProblems } from "../../../shared/auth/password-policy";

const EMAIL = "ada.lovelace@example.com";
const TOO_SHORT = "must be at least 12 characters";
const TOO_LONG = "must be at most 128 characters";
const COMMON = "is one of the most common passwords: choose one that is harder to guess";
const CONTAINS_EMAIL = "must not contain the part of your email address before the @";

describe("passwordProblems", () => {
  it("takes 12 to 128 characters, counted as people count them (code points after NFKC)", async () => {
    expect(await passwordProblems("a".repeat(11), EMAIL)).toEqual([TOO_SHORT]);
    expect(await passwordProblems("correct pony", EMAIL)).toEqual([]);
    expect(await passwordProblems("b".repeat(128), EMAIL)).toEqual([]);
    expect(await passwordProblems("b".repeat(129), EMAIL)).toEqual([TOO_LONG]);
    // Six emoji are twelve UTF-16 units but six characters: too short however JavaScript counts them.
    expect(await passwordProblems("🐙🦑🦀🐡🐠🐟", EMAIL)).toEqual([TOO_SHORT]);
    expect(await passwordProblems("🐙🦑🦀🐡🐠🐟🐙🦑🦀🐡🐠🐟", EMAIL)).toEqual([]);
    // NFKC folds the ligature "ﬃ" into three letters, as the hash does.
    expect(await passwordProblems("ﬃﬃﬃﬃ", EMAIL)).toEqual([]);
  });

  it("refuses the most common passwords in any letter case", async () => {
    for (const common of ["qwerty123456", "QWERTY123456", "1qaz2wsx3edc", "leavemealone", "Finalfantasy"]) {
      expect(await passwordProblems(common, EMAIL), common).toEqual([COMMON]);
    }
    expect(await passwordProblems("qwerty123456 but longer", EMAIL)).toEqual([]);
  });

  it("refuses a password containing the email's local part, ignoring case and a +tag", async () => {
    expect(await passwordProblems("my name is Ada.Lovelace!", EMAIL)).toEqual([CONTAINS_EMAIL]);
    expect(await passwordProblems("ADA.LOVELACE-2026", EMAIL)).toEqual([CONTAINS_EMAIL]);
    expect(await passwordProblems("ada lovelace 2026", EMAIL)).toEqual([]);
    expect(await passwordProblems("hello grace 1906!", "grace+hub@example.com")).toEqual([CONTAINS_EMAIL]);
    expect(await passwordProblems("grace+hub 1906 and more", "grace+hub@example.com")).toEqual([
      CONTAINS_EMAIL,
    ]);
    // A one- or two-letter local part would forbid most passphrases without making any harder to guess.
    expect(await passwordProblems("always a long passphrase", "al@example.com")).toEqual([]);
  });

  it("names every rule a password breaks", async () => {
    expect(await passwordProblems("qwertyuiop123", "qwerty@example.com")).toEqual([COMMON, CONTAINS_EMAIL]);
  });
});
